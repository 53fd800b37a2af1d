package com.numbersrouter.alerts;

import java.util.List;

import com.numbersrouter.xml.Notification;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventAlertComposerTest {

    private final EventAlertComposer composer = new EventAlertComposer("[nr]");

    @Test
    void subjectNamesTheEventAndTheCount() {
        EventAlert alert = composer.compose(event("MESSAGING_LOST", "9195550101", "9195550102", "9195550103"), "2025-01-01T00:00:00Z");

        assertThat(alert.subject()).isEqualTo("[nr] MESSAGING_LOST: 3 numbers affected");
        assertThat(alert.text()).contains("9195550101", "9195550103", "sub-1", "2025-01-01T00:00:00Z");
        assertThat(alert.html()).contains("<li>9195550102</li>", "sub-1", "2025-01-01T00:00:00Z");
    }

    @Test
    void lineBreaksCannotInjectMailHeaders() {
        EventAlert alert = composer.compose(event("MESSAGING_LOST\r\nBcc: attacker@example.org", "1"), null);

        assertThat(alert.subject()).doesNotContain("\r").doesNotContain("\n");
        EventAlert separated = composer.compose(event("MESSAGING_LOST\u2028Bcc: attacker@example.org\u0085", "1"), null);
        assertThat(separated.subject()).doesNotContain("\u2028").doesNotContain("\u0085");
    }

    @Test
    void missingEventTypeAndHugeValuesStayReadable() {
        assertThat(composer.compose(event(null), null).subject()).isEqualTo("[nr] UNKNOWN_EVENT: 0 numbers affected");
        assertThat(composer.compose(event("X".repeat(1000)), null).subject()).hasSizeLessThan(140);
    }

    @Test
    void htmlIsEscaped() {
        EventAlert alert = composer.compose(event("<b>EVT</b>", "<script>x</script>"), null);

        assertThat(alert.html()).doesNotContain("<script>", "<b>EVT").contains("&lt;script&gt;");
    }

    private static Notification event(String type, String... numbers) {
        Notification notification = new Notification();
        notification.setEventType(type);
        notification.setSubscriptionId("sub-1");
        notification.setImpactedTelephoneNumbers(List.of(numbers));
        return notification;
    }
}
