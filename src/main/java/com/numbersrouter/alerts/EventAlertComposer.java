package com.numbersrouter.alerts;

import java.util.List;

import com.numbersrouter.xml.Notification;
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

    private static String oneLine(String value) {
        if (value == null || value.isBlank()) {
            return "UNKNOWN_EVENT";
        }
        String flat = value.replaceAll("[\\r\\n\\t\\p{Cntrl}]+", " ").trim();
        return flat.length() <= MAX_SUBJECT_VALUE ? flat : flat.substring(0, MAX_SUBJECT_VALUE) + "...";
    }

    private static String esc(String value) {
        return HtmlUtils.htmlEscape(value);
    }
}
