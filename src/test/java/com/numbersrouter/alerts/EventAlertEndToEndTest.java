package com.numbersrouter.alerts;

import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Event notifications over real HTTP become e-mail alerts on a real SMTP server. */
class EventAlertEndToEndTest extends NodeTest {

    /** The digest's timer route (routes/alerts.camel.yaml). */
    private static final String DIGEST_TIMER = "event-alert-digest";

    @Autowired
    private AlertDigest digest;

    @Autowired
    private CamelContext camel;

    /**
     * The digest is sent by the tests alone: its timer fires a second after it starts, whatever the window, and could
     * take part of a test's batch. Then another test's events are alerted, and what they batched is mailed, before
     * this one's mailbox is emptied.
     */
    @BeforeEach
    void emptyMailboxes() throws Exception {
        camel.getRouteController().stopRoute(DIGEST_TIMER);
        sendDigest();
        SMTP.purgeEmailFromAllMailboxes();
    }

    @AfterEach
    void restartTheDigestTimer() throws Exception {
        camel.getRouteController().startRoute(DIGEST_TIMER);
    }

    @Test
    void eventBecomesOneAlertWithTextAndHtmlParts() throws Exception {
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                .isEqualTo(200);

        MimeMessage mail = awaitOneMail();
        assertThat(mail.getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 2 numbers affected");
        assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Address::toString).containsExactly("noc@example.net");
        assertThat(mail.getFrom()).extracting(Address::toString).containsExactly("numbers-router@example.net");

        String text = part(mail, "text/plain");
        String html = part(mail, "text/html");
        for (String content : new String[] {text, html}) {
            assertThat(content).contains("9845550177", "9845550178", "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8");
            assertThat(content).containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
        }
    }

    @Test
    void eventNumbersUnderCompletedTelephoneNumbersAreAcceptedToo() throws Exception {
        assertThat(bandwidth().post("/webhooks/bandwidth/events",
                Payloads.read("events/messaging-lost-completed-numbers.xml")).statusCode()).isEqualTo(200);

        MimeMessage mail = awaitOneMail();
        assertThat(mail.getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 1 number affected");
        assertThat(part(mail, "text/plain")).contains("+19845550199");
    }

    /** Both lists in one event: every number of either is in the alert, once. */
    @Test
    void anEventWithBothNumberListsIsAlertedWithEveryNumber() throws Exception {
        String event = Payloads.read("events/messaging-lost.xml").replace("</ImpactedTelephoneNumbers>",
                "</ImpactedTelephoneNumbers><CompletedTelephoneNumbers><TelephoneNumber>9845550178</TelephoneNumber>"
                        + "<TelephoneNumber>9845550179</TelephoneNumber></CompletedTelephoneNumbers>");

        assertThat(bandwidth().post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);

        MimeMessage mail = awaitOneMail();
        assertThat(mail.getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 3 numbers affected");
        assertThat(part(mail, "text/plain")).contains("9845550177").contains("9845550178").contains("9845550179");
    }

    @Test
    void theSameEventTwiceIsAlertedOnce() throws Exception {
        String event = Payloads.read("events/messaging-lost.xml");
        BandwidthClient bandwidth = bandwidth();
        assertThat(bandwidth.post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);
        assertThat(bandwidth.post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);
        // A different event after the duplicate: once its (digest) alert is in, the duplicate's would have been too.
        assertThat(bandwidth.post("/webhooks/bandwidth", Payloads.read("events/messaging-lost-completed-numbers.xml"))
                .statusCode()).isEqualTo(200);

        assertThat(sendDigest()).as("events in the digest").isEqualTo(1);
        await().atMost(20, TimeUnit.SECONDS).until(() -> SMTP.getReceivedMessages().length >= 2);
        assertThat(SMTP.getReceivedMessages()).extracting(MimeMessage::getSubject)
                .containsExactly("[numbers-router] MESSAGING_LOST: 2 numbers affected",
                        "[numbers-router] Digest: 1 event, 1 number affected");
    }

    @Test
    void anAlertStormIsOneAlertThenOneDigestWithEveryNumberAttachedAsCsv() throws Exception {
        String template = Payloads.read("events/messaging-lost.xml");
        int events = 40;
        // one client, as Bandwidth keeps its connection and credentials; all 40 come within the storm window (1 h here)
        BandwidthClient bandwidth = bandwidth();
        for (int n = 0; n < events; n++) {
            String event = template.replace("9845550177", String.format("98455%05d", n))
                    .replace("9845550178", String.format("98466%05d", n));
            assertThat(bandwidth.post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);
        }

        assertThat(sendDigest()).as("events in the digest").isEqualTo(events - 1);
        await().atMost(20, TimeUnit.SECONDS).until(() -> SMTP.getReceivedMessages().length >= 2);
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 2 numbers affected");
        assertThat(mails[1].getSubject()).isEqualTo("[numbers-router] Digest: 39 events, 78 numbers affected");
        String csv = attachment(mails[1], "affected-numbers.csv");
        assertThat(csv.lines()).hasSize(1 + 78).first().isEqualTo("event_type,subscription_id,telephone_number,received_at");
        for (int n = 1; n < events; n++) {
            assertThat(csv).contains(String.format("98455%05d", n)).contains(String.format("98466%05d", n));
        }
    }

    @Test
    void inboundHeadersNeverReachTheMail() throws Exception {
        HttpRequest.Builder request = bandwidth().request("/webhooks/bandwidth")
                .header("Content-Type", "application/xml")
                .header("To", "attacker@example.org")
                .header("Cc", "attacker@example.org")
                .header("Subject", "forged")
                .POST(HttpRequest.BodyPublishers.ofString(Payloads.read("events/messaging-lost.xml")));

        assertThat(bandwidth().send(request).statusCode()).isEqualTo(200);

        MimeMessage mail = awaitOneMail();
        assertThat(mail.getSubject()).doesNotContain("forged");
        assertThat(mail.getAllRecipients()).extracting(Address::toString).containsExactly("noc@example.net");
        assertThat(mail.getHeader("X-Injected")).isNull();
    }

    @Test
    void htmlPartEscapesWhatCameFromTheInternet() throws Exception {
        String hostile = Payloads.read("events/messaging-lost.xml")
                .replace("9845550177", "&lt;script&gt;alert(1)&lt;/script&gt;");

        assertThat(bandwidth().post("/webhooks/bandwidth", hostile).statusCode()).isEqualTo(200);

        String html = part(awaitOneMail(), "text/html");
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    /** An event type Bandwidth adds later is still an event: stored, and alerted under its own name. */
    @Test
    void anEventTypeTheNodeHasNeverSeenIsAlertedUnderItsName() throws Exception {
        String event = Payloads.read("events/messaging-lost.xml").replace("MESSAGING_LOST", "NUMBER_REASSIGNED");

        assertThat(bandwidth().post("/webhooks/bandwidth", event).statusCode()).isEqualTo(200);

        assertThat(awaitOneMail().getSubject()).isEqualTo("[numbers-router] NUMBER_REASSIGNED: 2 numbers affected");
    }

    /**
     * Something on the events queue that is no event notification (put there by hand, or replayed from elsewhere)
     * cannot become an alert however often it is tried: it goes to the alerts' dead-letter queue at once, with the
     * reason, instead of holding every alert behind it for the hour of SMTP retries.
     */
    @Test
    void anUnreadableMessageOnTheEventsQueueIsDeadLetteredAtOnceAndTheAlertsBehindItGoOut() throws Exception {
        BROKER.purge(EVENTS_DLQ);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER.url());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("bandwidth.events"))
                    .send(session.createTextMessage("<Invoice><Total>12</Total></Invoice>"));
        }
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("events/messaging-lost.xml")).statusCode())
                .isEqualTo(200);

        jakarta.jms.Message dead = BROKER.receive(EVENTS_DLQ, null, 10_000);
        assertThat(dead).isNotNull();
        assertThat(((TextMessage) dead).getText()).isEqualTo("<Invoice><Total>12</Total></Invoice>");
        assertThat(dead.getStringProperty("DeadLetterReason")).isNotBlank();
        assertThat(awaitOneMail().getSubject()).isEqualTo("[numbers-router] MESSAGING_LOST: 2 numbers affected");
    }

    /**
     * What the digest timer does at the end of a window, once every event posted is alerted or batched (the alert
     * route takes an event off its queue only then).
     *
     * @return how many events the digest held
     */
    private int sendDigest() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> BROKER.queueSize("bandwidth.events") == 0);
        return digest.sendPending();
    }

    private MimeMessage awaitOneMail() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> SMTP.getReceivedMessages().length >= 1);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    /** camel-mail nests the attachments of an alternative-body mail in a multipart/mixed: search all levels. */
    private static String attachment(MimeMessage mail, String name) throws Exception {
        String found = attachmentIn((Multipart) mail.getContent(), name);
        if (found == null) {
            throw new AssertionError("No attachment " + name + " in " + mail.getContentType());
        }
        return found;
    }

    private static String attachmentIn(Multipart multipart, String name) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (name.equals(part.getFileName())) {
                return new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (part.getContent() instanceof Multipart nested) {
                String found = attachmentIn(nested, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        Multipart multipart = (Multipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return String.valueOf(part.getContent());
            }
            if (part.getContent() instanceof Multipart nested) {
                for (int j = 0; j < nested.getCount(); j++) {
                    if (nested.getBodyPart(j).isMimeType(type)) {
                        return String.valueOf(nested.getBodyPart(j).getContent());
                    }
                }
            }
        }
        throw new AssertionError("No " + type + " part in " + mail.getContentType());
    }
}
