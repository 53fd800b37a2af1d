package com.numbersrouter.operations;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.numbersrouter.ingress.WebhookType;
import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutValidationRequest;
import com.numbersrouter.xml.Notification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line and one measurement per webhook answered by Camel: its type, outcome, correlation id (order id, event type,
 * PON) and latency from arrival to answer. Logged on {@code numbers-router.webhooks} with the values also in the
 * MDC, so {@code logging.structured.format.console} turns each into JSON fields; counted as
 * {@code numbers_router_webhooks_total{type,outcome}} and timed as {@code numbers_router_webhook_latency_seconds{type}}
 * (a histogram, for percentiles in Prometheus).
 *
 * <p>Never logs a body, a PIN or a credential: only the identifiers Bandwidth puts on every notification. Refusals
 * made before Camel are counted by those filters: a body over the size limit or too slow to arrive through
 * {@link #record} (type {@code unknown}), 503 at the in-flight bound or body memory as {@code numbers_router_webhooks_shed_total}.
 */
public class WebhookOutcomes extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger("numbers-router.webhooks");
    /** The routes that receive webhooks over HTTP: one exchange each, completed when the answer is given. */
    private static final String HTTP_ROUTES = "webhook-http";
    /** Set by a route that wants a more precise outcome than "accepted" (for example the spool: "spooled"). */
    public static final String OUTCOME_VARIABLE = "webhookOutcome";
    private static final int MAX_ID_LENGTH = 64;
    /** Characters an identifier from outside may not bring into a log line (each becomes ?); compiled once. */
    private static final Pattern UNSAFE_ID_CHARACTER = Pattern.compile("[^\\p{Alnum}._:-]");
    private static final String WEBHOOK_EXCHANGE = "numbersRouterWebhookExchange";
    /** The basis of a port-out decision on a request that could not be read (PortOutGatekeeper.invalidRequest). */
    private static final String INVALID_REQUEST_BASIS = "invalid-request";
    private static final String REPEAT_BASIS = PortOutGatekeeper.REPEAT;
    /** Every value of the type label: each WebhookType as the label writes it, and "unknown" before one is known. */
    private static final List<String> TYPES = Stream.concat(Arrays.stream(WebhookType.values()).map(t -> label(t.name())),
            Stream.of("unknown")).toList();

    private final MeterRegistry meters;

    public WebhookOutcomes(MeterRegistry meters) {
        this.meters = meters;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
        // The series that config/monitoring/alerts.yml fires on are present from the start, at 0: increase() does
        // not count the first webhook of a series that appears with it, and a lost notification may be the first.
        for (String type : TYPES) {
            counter(meters, type, "failed");
            counter(meters, type, "unavailable");
        }
        counter(meters, "unclassified", "malformed");
        for (String type : List.of("unknown", "port-out-validation")) {
            counter(meters, type, "unauthenticated");
            counter(meters, type, "bad-credentials");
            counter(meters, type, "unknown-username");
        }
        counter(meters, "unknown", "oversize");
        counter(meters, "unknown", "too-slow");
        // and the authenticated outcomes the challenge rules subtract: a restart must not read as unanswered challenges
        for (String type : List.of("order", "event")) {
            for (String outcome : List.of("accepted", "duplicate", "spooled")) {
                counter(meters, type, outcome);
            }
        }
        for (String outcome : List.of("approved", "denied", "repeated", "malformed")) {
            counter(meters, "port-out-validation", outcome);
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCreatedEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    /** The 401 answers: no credentials (the challenge), or credentials that are not accepted. */
    private static final Set<String> CREDENTIAL_REFUSALS = Set.of("unauthenticated", "bad-credentials", "unknown-username");

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (event instanceof CamelEvent.ExchangeCreatedEvent) {
            // Marks every exchange with its own id, unless it already carries a mark: then it is a copy made on
            // the way (a wireTap an operator adds, the circuit breaker's timed task), which completes on its own and is not
            // an answer. (The route is not known yet when an exchange is created, so all are marked.)
            if (exchange.getProperty(WEBHOOK_EXCHANGE) == null) {
                exchange.setProperty(WEBHOOK_EXCHANGE, exchange.getExchangeId());
            }
            return;
        }
        String route = exchange.getFromRouteId();
        if (route == null || !route.startsWith(HTTP_ROUTES)
                || !exchange.getExchangeId().equals(exchange.getProperty(WEBHOOK_EXCHANGE))) {
            return;
        }
        String type = type(exchange);
        String outcome = outcome(exchange);
        long millis = exchange.getClock().elapsed();
        String id = correlationId(exchange);
        record(meters, type, outcome, id, millis);
    }

    /**
     * Counts, times and logs one answered webhook. Also for the answers given before Camel sees a request (a body
     * over the size limit or too slow to arrive), so every webhook has its line and its count.
     *
     * @param id a correlation id already cleaned of anything a log line must not carry, or {@code null}
     */
    public static void record(MeterRegistry meters, String type, String outcome, String id, long millis) {
        counter(meters, type, outcome).increment();
        Timer.builder("numbers.router.webhook.latency").description("From a webhook's arrival to its answer")
                .tag("type", type).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters).record(millis, TimeUnit.MILLISECONDS);
        // As MDC entries too, which structured logging (logging.structured.format.console=ecs|logstash|gelf) writes
        // as JSON fields: webhook.type, webhook.outcome, webhook.id, webhook.latency_ms.
        try (MDC.MDCCloseable t = MDC.putCloseable("webhook.type", type);
                MDC.MDCCloseable o = MDC.putCloseable("webhook.outcome", outcome);
                MDC.MDCCloseable i = MDC.putCloseable("webhook.id", id == null ? "-" : id);
                MDC.MDCCloseable l = MDC.putCloseable("webhook.latency_ms", String.valueOf(millis))) {
            if (CREDENTIAL_REFUSALS.contains(outcome)) {
                // Counted, but not a line each at INFO: every delivery of Bandwidth's starts with a challenged request,
                // and anyone on the internet can send these as fast as they like. Wrong credentials have their own
                // WARN, once a minute at most (BasicAuthChallenge).
                LOG.debug("{} {} {} in {} ms", type, id == null ? "-" : id, outcome, millis);
            } else {
                LOG.info("{} {} {} in {} ms", type, id == null ? "-" : id, outcome, millis);
            }
        }
    }

    private static Counter counter(MeterRegistry meters, String type, String outcome) {
        return Counter.builder("numbers.router.webhooks").description("Webhooks answered, by type and outcome")
                .tag("type", type).tag("outcome", outcome).register(meters);
    }

    private static String type(Exchange exchange) {
        String type = exchange.getVariable("webhookType", String.class);
        return type == null ? "unknown" : label(type);
    }

    private static String label(String typeName) {
        return typeName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String outcome(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (exchange.isFailed() || status == null) {
            return "failed";
        }
        return switch (status) {
            case 200 -> {
                if (Boolean.TRUE.equals(exchange.getProperty(Exchange.DUPLICATE_MESSAGE, Boolean.class))) {
                    yield "duplicate";
                }
                // Every port-out answer is a 200: what it said is the outcome. An invalid request (7598 unread) is
                // malformed; a repeat of a denied request (answered as the first time) is repeated.
                if (exchange.getVariable("portOutDecision") instanceof PortOutDecision decision) {
                    yield INVALID_REQUEST_BASIS.equals(decision.basis()) ? "malformed"
                            : REPEAT_BASIS.equals(decision.basis()) ? "repeated"
                            : decision.portable() ? "approved" : "denied";
                }
                String set = exchange.getVariable(OUTCOME_VARIABLE, String.class);
                yield set != null ? set : "accepted";
            }
            case 400 -> "malformed";
            // "unauthenticated" (no credentials: Bandwidth's normal first request), "bad-credentials" (a configured
            // username, a wrong password) or "unknown-username"
            case 401 -> {
                String set = exchange.getVariable(OUTCOME_VARIABLE, String.class);
                yield set != null ? set : "unauthenticated";
            }
            case 503 -> "unavailable";
            default -> "failed";
        };
    }

    /** The identifier an operator searches by: order id, event type, or PON; cleaned, as it came from outside. */
    private static String correlationId(Exchange exchange) {
        String id = null;
        if (exchange.getVariable("notification") instanceof Notification notification) {
            id = notification.isOrder() ? notification.getOrderId() : notification.getEventType();
        } else if (exchange.getVariable("portOutRequest") instanceof PortOutValidationRequest request) {
            id = request.getPon();
        }
        if (id == null) {
            return null;
        }
        String clean = UNSAFE_ID_CHARACTER.matcher(id).replaceAll("?");
        return clean.length() > MAX_ID_LENGTH ? clean.substring(0, MAX_ID_LENGTH) : clean;
    }
}
