package com.numbersrouter.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Bandwidth's authentication flow (bandwidth-webhooks.md §5): the first request comes without credentials and
 * must be answered {@code 401} with a {@code WWW-Authenticate: Basic} challenge, or Bandwidth never sends the
 * second, authenticated request and the notification is lost. Wrong credentials get the same challenge.
 * A challenged request is never processed further.
 */
public class BasicAuthChallenge implements Processor {

    private static final String BASIC = "basic ";

    private final WebhookCredentials credentials;
    private final String challenge;

    public BasicAuthChallenge(WebhookCredentials credentials, String realm) {
        this.credentials = credentials;
        this.challenge = "Basic realm=\"" + realm.replace("\"", "") + "\", charset=\"UTF-8\"";
    }

    @Override
    public void process(Exchange exchange) {
        if (credentials.accepts(decodedUserPass(exchange.getMessage().getHeader("Authorization", String.class)))) {
            return;
        }
        // Inbound headers must not be echoed into the response, so the reply is built on an empty header map.
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        exchange.getMessage().setHeader("WWW-Authenticate", challenge);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getMessage().setBody("Authentication required\n");
        exchange.setRouteStop(true);
    }

    private static String decodedUserPass(String authorization) {
        if (authorization == null || authorization.length() <= BASIC.length()
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return "";
        }
    }
}
