package com.numbersrouter.alerts;

import java.util.List;

import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Header;
import org.springframework.web.util.HtmlUtils;

/**
 * Writes the alert for one event notification. Every value in it came from the internet, so the subject is
 * stripped of line breaks (no mail header injection) and the HTML part is escaped.
 */
public class EventAlertComposer {

    private static final int MAX_SUBJECT_VALUE = 80;

    private final String subjectPrefix;

    public EventAlertComposer(String subjectPrefix) {
        this.subjectPrefix = subjectPrefix;
    }

    public EventAlert compose(Notification event, @Header("BandwidthReceivedAt") String receivedAt) {
        List<String> numbers = event.affectedTelephoneNumbers();
        String eventType = oneLine(event.getEventType());
        String count = numbers.size() == 1 ? "1 number affected" : numbers.size() + " numbers affected";
        String subject = (subjectPrefix.isBlank() ? "" : subjectPrefix.trim() + " ") + eventType + ": " + count;
        String subscription = event.getSubscriptionId() == null ? "(none)" : event.getSubscriptionId();
        String received = receivedAt == null ? "(unknown)" : receivedAt;

        StringBuilder text = new StringBuilder()
                .append("Bandwidth event ").append(eventType).append(": ").append(count).append(".\n\n")
                .append("Subscription: ").append(subscription).append('\n')
                .append("Received:     ").append(received).append("\n\n")
                .append("Numbers:\n");
        numbers.forEach(n -> text.append("  ").append(n).append('\n'));

        StringBuilder html = new StringBuilder()
                .append("<!DOCTYPE html><html><body>")
                .append("<h2>Bandwidth event ").append(esc(eventType)).append("</h2>")
                .append("<p>").append(esc(count)).append(".</p>")
                .append("<table><tr><th align=\"left\">Subscription</th><td>").append(esc(subscription)).append("</td></tr>")
                .append("<tr><th align=\"left\">Received</th><td>").append(esc(received)).append("</td></tr></table>")
                .append("<h3>Numbers</h3><ul>");
        numbers.forEach(n -> html.append("<li>").append(esc(n)).append("</li>"));
        html.append("</ul></body></html>");
        return new EventAlert(subject, text.toString(), html.toString());
    }

    /**
     * One e-mail for many events: counts per event type, every affected number (the first 200 in the body; all of
     * them in the CSV the sender attaches when the list is long), and when the batch arrived.
     */
    public EventAlert digest(List<Notification> events, List<String> receivedAt) {
        java.util.Map<String, List<String>> numbersByType = new java.util.TreeMap<>();
        for (Notification event : events) {
            numbersByType.computeIfAbsent(oneLine(event.getEventType()), t -> new java.util.ArrayList<>())
                    .addAll(event.affectedTelephoneNumbers());
        }
        int numbers = numbersByType.values().stream().mapToInt(List::size).sum();
        String from = receivedAt.isEmpty() || receivedAt.get(0) == null ? "(unknown)" : receivedAt.get(0);
        String to = receivedAt.isEmpty() || receivedAt.get(receivedAt.size() - 1) == null ? "(unknown)"
                : receivedAt.get(receivedAt.size() - 1);
        String subject = (subjectPrefix.isBlank() ? "" : subjectPrefix.trim() + " ") + "Digest: " + events.size()
                + (events.size() == 1 ? " event, " : " events, ") + numbers + (numbers == 1 ? " number" : " numbers")
                + " affected";
        StringBuilder text = new StringBuilder("Events batched during an alert storm, received ")
                .append(from).append(" to ").append(to).append(".\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body><h2>").append(esc(subject)).append("</h2>")
                .append("<p>Events batched during an alert storm, received ").append(esc(from)).append(" to ")
                .append(esc(to)).append(".</p>");
        numbersByType.forEach((type, list) -> {
            text.append("\n").append(type).append(": ").append(list.size()).append(" numbers\n");
            html.append("<h3>").append(esc(type)).append(": ").append(list.size()).append(" numbers</h3><ul>");
            list.stream().limit(200).forEach(n -> {
                text.append("  ").append(n).append('\n');
                html.append("<li>").append(esc(n)).append("</li>");
            });
            html.append("</ul>");
            if (list.size() > 200) {
                text.append("  ... and ").append(list.size() - 200).append(" more: see affected-numbers.csv\n");
                html.append("<p>... and ").append(list.size() - 200).append(" more: see affected-numbers.csv</p>");
            }
        });
        html.append("</body></html>");
        return new EventAlert(subject, text.toString(), html.toString());
    }

    /** Every affected number of the batch, one per line, for the digest's attachment. */
    public String csv(List<Notification> events, List<String> receivedAt) {
        StringBuilder csv = new StringBuilder("event_type,subscription_id,telephone_number,received_at\n");
        for (int i = 0; i < events.size(); i++) {
            Notification event = events.get(i);
            String received = i < receivedAt.size() && receivedAt.get(i) != null ? receivedAt.get(i) : "";
            for (String number : event.affectedTelephoneNumbers()) {
                csv.append(csvField(oneLine(event.getEventType()))).append(',')
                        .append(csvField(event.getSubscriptionId())).append(',')
                        .append(csvField(number)).append(',').append(csvField(received)).append('\n');
            }
        }
        return csv.toString();
    }

    /** Quoted when needed, and never starting with a formula character (CSV injection in spreadsheets). */
    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        String safe = NotificationHeaders.withControlCharactersAs(value, " ");
        if (!safe.isEmpty() && "=+-@".indexOf(safe.charAt(0)) >= 0 && !safe.matches("\\+?\\d+")) {
            safe = "'" + safe;
        }
        return safe.matches("[^\",]*") ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private static String oneLine(String value) {
        if (value == null || value.isBlank()) {
            return "UNKNOWN_EVENT";
        }
        String flat = NotificationHeaders.withControlCharactersAs(value, " ").replaceAll(" {2,}", " ").trim();
        return flat.length() <= MAX_SUBJECT_VALUE ? flat : flat.substring(0, MAX_SUBJECT_VALUE) + "...";
    }

    private static String esc(String value) {
        return HtmlUtils.htmlEscape(value);
    }
}
