package com.numbersrouter.ingress;

import java.time.Duration;

import com.numbersrouter.infra.ThrottledWarning;
import com.numbersrouter.operations.WebhookOutcomes;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bandwidth's authentication flow (bandwidth-webhooks.md §5): the first request comes without credentials and
 * must be answered {@code 401} with a {@code WWW-Authenticate: Basic} challenge, or Bandwidth never sends the
 * second, authenticated request and the notification is lost. Wrong credentials get the same challenge.
 * A challenged request is never processed further.
 *
 * <p>Port-out validation is the exception that can be configured: whether Bandwidth uses this challenge flow for it
 * is not documented, and a 401 it does not follow up would approve the port-out. With
 * {@code numbers-router.portout.unauthenticated=deny}, a port-out without valid credentials (on the port-out URL, or
 * with a {@code <PortOutValidationRequest>} body on any other) is answered 200 {@code Portable=false} (7598) instead,
 * and not processed.
 */
public class BasicAuthChallenge implements Processor {


    /** The entry variable the port-out alias route sets. */
    static final String PORT_OUT_ENTRY = "portout-validation";
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthChallenge.class);

    private final WebhookCredentials credentials;
    private final String challenge;
    private final byte[] portOutDenial;
    private final PortOutRefusals.Audit portOutAudit;
    /**
     * One WARN for the first request with wrong credentials, then at most one a minute with how many came since: the
     * log says so when a subscription's password no longer matches, without a line per request an attacker sends.
     * Never the credentials themselves.
     */
    private final ThrottledWarning wrongCredentials = new ThrottledWarning(Duration.ofMinutes(1));
    private final ThrottledWarning deniedPortOuts = new ThrottledWarning(Duration.ofMinutes(1));

    /** The outcome of a request with a configured username and a password that does not go with it. */
    static final String BAD_CREDENTIALS = "bad-credentials";
    /** The outcome of a request with credentials whose username is not configured at all. */
    static final String UNKNOWN_USERNAME = "unknown-username";

    public BasicAuthChallenge(WebhookCredentials credentials, String realm) {
        this(credentials, realm, null);
    }

    /** @param portOutDenial the answer for an unauthenticated port-out; null to challenge it like any webhook */
    public BasicAuthChallenge(WebhookCredentials credentials, String realm, byte[] portOutDenial) {
        this(credentials, realm, portOutDenial, PortOutRefusals.Audit.NONE);
    }

    /** @param portOutAudit records each port-out denied for its credentials in the audit journal */
    public BasicAuthChallenge(WebhookCredentials credentials, String realm, byte[] portOutDenial,
            PortOutRefusals.Audit portOutAudit) {
        this.credentials = credentials;
        this.challenge = "Basic realm=\"" + realm.replace("\"", "") + "\", charset=\"UTF-8\"";
        this.portOutDenial = portOutDenial;
        this.portOutAudit = portOutAudit;
    }

    @Override
    public void process(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        String userPass = WebhookCredentials.userPassOf(authorization);
        if (credentials.accepts(userPass)) {
            return;
        }
        // No credentials is Bandwidth's normal first request. Wrong ones with a configured username mean that
        // subscription's password no longer matches and its webhooks are lost (Bandwidth sends each only once more,
        // with the same credentials): counted apart, and worth a warning. An unknown username is counted apart again:
        // a stranger, most likely (or a subscription whose username is mistyped), which an operator need not be paged for.
        boolean presented = authorization != null && !authorization.isBlank();
        String outcome = !presented ? "unauthenticated"
                : credentials.knowsUsername(userPass) ? BAD_CREDENTIALS : UNKNOWN_USERNAME;
        exchange.setVariable(WebhookOutcomes.OUTCOME_VARIABLE, outcome);
        if (presented) {
            wrongCredentials.seen(BAD_CREDENTIALS.equals(outcome), (count, known) -> LOG.warn(
                    "{} webhook(s) with wrong credentials answered 401 since the last warning, {} of them with a"
                    + " configured username and a wrong password, the latest from {}. Bandwidth does not send those"
                    + " webhooks again: check the subscription's credentials against numbers-router.webhook.credentials"
                    + " (WEBHOOK_USERNAME/WEBHOOK_PASSWORD)", count, known, clientAddress(exchange)));
        }
        // A port-out posted to the generic URL is told by its root element: it gets the same answer as on its own
        // URL, and its 401 is counted and logged as a port-out's (a 401 Bandwidth does not follow up approves it).
        boolean portOut = PORT_OUT_ENTRY.equals(exchange.getVariable("webhookEntry", String.class))
                || IntakeAdmission.looksLikePortOut(WebhookClassifier.rawBody(exchange));
        if (portOut) {
            exchange.setVariable("webhookType", WebhookType.PORT_OUT_VALIDATION.name());
        }
        // Inbound headers must not be echoed into the response, so the reply is built on an empty header map.
        exchange.getMessage().removeHeaders("*");
        if (portOutDenial != null && portOut) {
            deniedPortOuts.seen(false, (count, unused) -> LOG.warn("{} port-out validation(s) without valid"
                    + " credentials answered Portable=false (7598), not processed, since the last warning", count));
            // recorded with the PON and numbers it names, marked as without valid credentials
            portOutAudit.answered(false, "without valid credentials (numbers-router.portout.unauthenticated=deny)",
                    WebhookClassifier.rawBody(exchange), null);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
            exchange.getMessage().setBody(portOutDenial);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        exchange.getMessage().setHeader("WWW-Authenticate", challenge);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getMessage().setBody("Authentication required\n");
        exchange.setRouteStop(true);
    }

    /**
     * Where the request came from (the proxy's address behind one, unless server.forward-headers-strategy is set):
     * Bandwidth's published ranges, or a stranger's. Never the username, which may be a mistyped password.
     */
    static String clientAddress(Exchange exchange) {
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        return http != null && http.getRequest() != null ? http.getRequest().getRemoteAddr() : "an unknown address";
    }

}
