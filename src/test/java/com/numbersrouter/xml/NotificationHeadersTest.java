package com.numbersrouter.xml;

import java.time.Instant;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationHeadersTest {

    private final Message message = new DefaultExchange(new DefaultCamelContext()).getIn();

    /** Fixed width, so a consumer comparing them as strings (a selector, a sort) gets the order they came in. */
    @Test
    void receivedTimesAlwaysCarryMilliseconds() {
        assertThat(NotificationHeaders.formatReceivedAt(Instant.parse("2026-11-28T14:00:30Z")))
                .isEqualTo("2026-11-28T14:00:30.000Z");
        assertThat(NotificationHeaders.formatReceivedAt(Instant.parse("2026-11-28T14:00:30.001Z")))
                .isEqualTo("2026-11-28T14:00:30.001Z");
        assertThat(NotificationHeaders.formatReceivedAt(Instant.parse("2026-11-28T14:00:30.000999Z")))
                .isEqualTo("2026-11-28T14:00:30.000Z");
    }

    @Test
    void controlCharactersThatCouldForgeALogLineDownstreamAreDropped() {
        NotificationHeaders.putIfPresent(message, "OrderId", "abc\r\nINFO forged\u0000\u001f\u007f-1");

        assertThat(message.getHeader("OrderId")).isEqualTo("abcINFO forged-1");
    }

    /** What some log viewers and terminals also take for a line break or an escape: NEL, C1, U+2028, U+2029. */
    @Test
    void unicodeLineBreaksAndC1ControlsAreDroppedToo() {
        NotificationHeaders.putIfPresent(message, "OrderId", "a\u0085b\u009b[2Jc\u2028d\u2029e");

        assertThat(message.getHeader("OrderId")).isEqualTo("ab[2Jcde");
        assertThat(NotificationHeaders.withControlCharactersAs("PON\u2028INFO forged\r\n", "?"))
                .isEqualTo("PON?INFO forged??");
        assertThat(NotificationHeaders.withControlCharactersAs("WIN-é-\u00a0", "?")).isEqualTo("WIN-é-\u00a0");
    }

    @Test
    void ordinaryValuesArePutAsTheyAreAndBlankOnesNotAtAll() {
        String value = "ddbdc72e-dc27-490c-904e-d0c11291b095 é";
        NotificationHeaders.putIfPresent(message, "OrderId", value);
        NotificationHeaders.putIfPresent(message, "OrderStatus", " \t");
        NotificationHeaders.putIfPresent(message, "OrderType", null);

        assertThat(message.getHeader("OrderId")).isSameAs(value);
        assertThat(message.getHeaders()).containsOnlyKeys("OrderId");
    }
}
