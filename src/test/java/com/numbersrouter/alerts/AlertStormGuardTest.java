package com.numbersrouter.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.numbersrouter.xml.Notification;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertStormGuardTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void theFirstOfATypeInAWindowGoesOutTheRestAreBatchedUntilTheWindowEnds() {
        AlertStormGuard guard = new AlertStormGuard(Duration.ofMinutes(5), clock);

        assertThat(guard.firstInWindow("MESSAGING_LOST")).isTrue();
        assertThat(guard.firstInWindow("MESSAGING_LOST")).isFalse();
        assertThat(guard.firstInWindow("OTHER")).isTrue();
        now = now.plus(Duration.ofMinutes(4));
        assertThat(guard.firstInWindow("MESSAGING_LOST")).isFalse();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(guard.firstInWindow("MESSAGING_LOST")).isTrue();
    }

    /** Made-up event types past the bound are batched, not mailed one by one; closed windows make room again. */
    @Test
    void eventTypesBeyondTheBoundAreBatchedUntilWindowsClose() {
        AlertStormGuard guard = new AlertStormGuard(Duration.ofMinutes(5), clock);
        for (int i = 0; i < AlertStormGuard.MAX_OPEN_WINDOWS; i++) {
            assertThat(guard.firstInWindow("MADE_UP_" + i)).isTrue();
        }

        assertThat(guard.firstInWindow("MADE_UP_ONE_MORE")).as("batched: nothing is lost").isFalse();
        assertThat(guard.firstInWindow("MADE_UP_0")).as("a type with its window open").isFalse();

        now = now.plus(Duration.ofMinutes(5));
        assertThat(guard.firstInWindow("MESSAGING_LOST")).as("the windows closed make room").isTrue();
    }

    @Test
    void digestCsvCannotInjectFormulasOrBreakColumns() {
        Notification event = new Notification();
        event.setEventType("MESSAGING_LOST");
        event.setSubscriptionId("=HYPERLINK(\"http://evil\")");
        event.setImpactedTelephoneNumbers(List.of("+19195550100", "919,555"));

        String csv = new EventAlertComposer("[nr]").csv(List.of(event), List.of("2026-01-01T00:00:00Z"));

        assertThat(csv.lines()).containsExactly(
                "event_type,subscription_id,telephone_number,received_at",
                "MESSAGING_LOST,\"'=HYPERLINK(\"\"http://evil\"\")\",+19195550100,2026-01-01T00:00:00Z",
                "MESSAGING_LOST,\"'=HYPERLINK(\"\"http://evil\"\")\",\"919,555\",2026-01-01T00:00:00Z");
    }

    @Test
    void digestSubjectCountsEventsAndNumbers() {
        Notification a = new Notification();
        a.setEventType("MESSAGING_LOST");
        a.setImpactedTelephoneNumbers(List.of("1", "2"));
        Notification b = new Notification();
        b.setEventType("MESSAGING_LOST");
        b.setImpactedTelephoneNumbers(List.of("3"));

        EventAlert digest = new EventAlertComposer("[nr]").digest(List.of(a, b), List.of("t1", "t2"));

        assertThat(digest.subject()).isEqualTo("[nr] Digest: 2 events, 3 numbers affected");
        assertThat(digest.text()).contains("MESSAGING_LOST: 3 numbers", "t1 to t2");
    }
}
