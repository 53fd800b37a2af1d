package com.numbersrouter.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.numbersrouter.ingress.WebhookClassifier;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event has no time of its own: the same body is the same event only within the body window. Before, it was the
 * same event for the whole 24-hour window, and a number lost again the same day raised no alert.
 */
class NotificationKeysTest {

    private static final String EVENT = "<Notification><EventType>MESSAGING_LOST</EventType><ImpactedTelephoneNumbers>"
            + "<TelephoneNumber>9845550177</TelephoneNumber></ImpactedTelephoneNumbers></Notification>";
    private static final long TEN_MINUTES = Duration.ofMinutes(10).toMillis();

    private final NotificationKeys keys = new NotificationKeys(Duration.ofMinutes(10));
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void theSameEventBodyIsOneEventWithinTheBodyWindowOnly() {
        long start = 1_000 * TEN_MINUTES;
        byte[] event = EVENT.getBytes(StandardCharsets.UTF_8);

        String first = keys.eventKey(event, start + 1_000);
        String copy = keys.eventKey(event, start + 60_000);
        String later = keys.eventKey(event, start + 3 * TEN_MINUTES);

        assertThat(copy).isEqualTo(first);
        assertThat(later).isNotEqualTo(first);
        assertThat(keys.eventKey(EVENT.replace("0177", "0178").getBytes(StandardCharsets.UTF_8), start + 1_000))
                .isNotEqualTo(first);
        assertThat(first).hasSize("event:".length() + 64);
    }

    @Test
    void anOrderWithItsLastModifiedDateIsKnownByIt() {
        String order = "<Notification><OrderId>o-1</OrderId><Status>COMPLETE</Status>"
                + "<LastModifiedDate>2026-11-28T02:00:00.000Z</LastModifiedDate></Notification>";
        Exchange first = received(order);
        Exchange again = received(order.replace("<Notification>", "<Notification>\n"));

        assertThat(keys.orderKey(again)).isEqualTo(keys.orderKey(first)).startsWith("order:");
    }

    /**
     * A notification forwarded from the spool, or replayed, hours after it came in: its key (published as the message's
     * NotificationKey, so that consumers can drop copies) is the one it had when it came in, not one for the time of
     * the forward, which would fall in another body window.
     */
    @Test
    void aForwardedNotificationKeepsTheKeyOfItsArrival() {
        Exchange atIntake = received(EVENT);
        Exchange forwarded = received(EVENT);
        forwarded.setVariable("receivedAt",
                NotificationHeaders.formatReceivedAt(Instant.ofEpochMilli(atIntake.getClock().getCreated())));
        Exchange laterArrival = received(EVENT);
        long threeWindowsLater = atIntake.getClock().getCreated() + 3 * TEN_MINUTES;
        laterArrival.setVariable("receivedAt", NotificationHeaders.formatReceivedAt(Instant.ofEpochMilli(threeWindowsLater)));

        assertThat(keys.eventKey(forwarded)).isEqualTo(keys.eventKey(atIntake));
        assertThat(keys.eventKey(laterArrival)).isNotEqualTo(keys.eventKey(atIntake));
        String orderWithoutDate = "<Notification><OrderId>o-1</OrderId><Status>COMPLETE</Status></Notification>";
        Exchange order = received(orderWithoutDate);
        Exchange orderForwarded = received(orderWithoutDate);
        orderForwarded.setVariable("receivedAt", laterArrival.getVariable("receivedAt"));
        Exchange orderSameTime = received(orderWithoutDate);
        orderSameTime.setVariable("receivedAt", laterArrival.getVariable("receivedAt"));
        assertThat(keys.orderKey(orderForwarded)).isEqualTo(keys.orderKey(orderSameTime)).startsWith("orderb:")
                .isNotEqualTo(keys.orderKey(order));
    }

    private Exchange received(String body) {
        DefaultExchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        exchange.setVariable("notification", new WebhookClassifier().notificationFromText(body));
        return exchange;
    }
}
