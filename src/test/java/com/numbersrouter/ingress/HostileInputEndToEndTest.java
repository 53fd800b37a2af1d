package com.numbersrouter.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A corpus of hostile requests, each sent over real HTTP to a running node: entity tricks, parser bombs, broken
 * encodings, misleading content types, injected Camel/JMS headers, oversized and stalled requests, malformed
 * credentials. Every case must get the right answer within a few seconds (a stalled upload: within a bounded
 * time), never a stack trace or a secret, and must leave the node serving a normal order afterwards.
 *
 * <p>What is refused as unusable gets {@code 400} with a one-line reason and its exact bytes on
 * {@code bandwidth.unclassified}; a port-out request gets {@code 200} + code 7598 instead (Bandwidth approves a
 * port-out on any 4xx). Bodies over the limit with and without {@code Content-Length} are covered by
 * {@link IngressSecurityEndToEndTest}; only the exact boundary is tested here.
 */
class HostileInputEndToEndTest extends NodeTest {

    private static final String WEBHOOK = "/webhooks/bandwidth";
    private static final String PORTOUT_ALIAS = "/webhooks/bandwidth/portout-validation";
    /** Parsing limits, not timeouts, must stop a hostile body: every answer comes within this. */
    private static final Duration QUICKLY = Duration.ofSeconds(10);
    /** numbers-router.webhook.max-body-size (1MB = 1 MiB in Spring's DataSize). */
    private static final int MAX_BODY = 1024 * 1024;
    /**
     * The longest a request whose body stalls may hold its connection before the node gives up on it. Spring MVC's
     * async request timeout (30 s, Tomcat's default) answers it at the latest; a read timeout should come sooner.
     */
    private static final Duration STALLED_REQUEST_BOUND = Duration.ofSeconds(35);
    /**
     * More stalled uploads than the threads that run Camel's HTTP exchanges (32 core), but fewer than Tomcat's
     * worker threads (200): a thread-per-request container holds one worker per stalled connection until its read
     * timeout, and floods beyond that are for a buffering reverse proxy in front of the node.
     */
    private static final int STALLED_CONNECTIONS = 100;
    private static final AtomicInteger NEXT_ORDER = new AtomicInteger(7_000_000);

    @BeforeEach
    void emptyQueues() {
        BROKER.drain(ORDERS);
        BROKER.drain(UNCLASSIFIED);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. XXE: no entity is expanded, nothing is fetched
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"hostile/xxe-general-entity.xml", "hostile/xxe-parameter-entity.xml",
            "hostile/xxe-external-dtd.xml"})
    void doctypeInANotificationIsRefusedAndNothingIsFetchedOrExpanded(String fixture) throws Exception {
        try (ServerSocket canary = canary()) {
            byte[] body = pointedAt(canary, Payloads.read(fixture));

            HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

            assertRejected(response, body, "DOCTYPE");
            assertThat(response.body()).doesNotContain("root:");
            assertNotContacted(canary);
        }
        assertStillServesOrders();
    }

    @ParameterizedTest
    @ValueSource(strings = {WEBHOOK, PORTOUT_ALIAS})
    void doctypeInAPortOutValidationIsAnsweredNotPortable(String path) throws Exception {
        try (ServerSocket canary = canary()) {
            byte[] body = pointedAt(canary, Payloads.read("hostile/portout-xxe.xml"));

            HttpResponse<String> response = quickly(() -> bandwidth().post(path, body, "Content-Type", "application/xml"));

            // Bandwidth approves a port-out on any 4xx: a DOCTYPE here is an invalid request, answered 200 + 7598.
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/xml"));
            assertThat(response.body()).contains("<Portable>false</Portable>").contains("<Code>7598</Code>")
                    .doesNotContain("root:");
            assertNotContacted(canary);
        }
        assertThat(BROKER.receive(ORDERS, null, 300)).isNull();
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Entity expansion bombs
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void billionLaughsIsRefusedQuickly() throws JMSException {
        byte[] body = Payloads.bytes("invalid/billion-laughs.xml");

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "DOCTYPE");
        assertStillServesOrders();
    }

    @Test
    void quadraticBlowUpIsRefusedQuickly() throws JMSException {
        // One 50 KB entity referenced 5,000 times: ~80 KB on the wire, 250 MB if it were expanded.
        String entity = "x".repeat(50 * 1024);
        String references = "&big;".repeat(5_000);
        byte[] body = ("<?xml version=\"1.0\"?>\n<!DOCTYPE Notification [<!ENTITY big \"" + entity + "\">]>\n"
                + "<Notification><OrderType>orders</OrderType><OrderId>aaaaaaaa-0000-4000-8000-000000000004</OrderId>"
                + "<Message>" + references + "</Message></Notification>\n").getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isLessThan(MAX_BODY);

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "DOCTYPE");
        assertStillServesOrders();
    }

    @Test
    void entityReferencesWithoutADoctypeAreNotWellFormed() throws JMSException {
        // No DTD declares &lol9;: the document is not well-formed (WFC: Entity Declared) and must not be queued.
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Notification><OrderType>orders</OrderType>"
                + "<OrderId>aaaaaaaa-0000-4000-8000-000000000005</OrderId><Message>&lol9;&lol9;</Message></Notification>\n")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "not well-formed");
        assertStillServesOrders();
    }

    @Test
    void predefinedEntitiesAndCharacterReferencesAreOrdinaryXml() throws JMSException {
        // The counterpart of the test above: what XML defines without a DTD is accepted and forwarded as sent.
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n).replace("Created a new number order",
                "AT&amp;T &lt;port&gt; &quot;x&quot; &apos;y&apos; &#233;&#x2603; <![CDATA[a < b & c]]>");

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, order));

        assertThat(response.statusCode()).isEqualTo(200);
        Message queued = BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000);
        assertThat(queued).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) queued).getText()).isEqualTo(order);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. Structure bombs
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void tenThousandDeepNestingIsRefusedQuickly() throws JMSException {
        byte[] body = ("<?xml version=\"1.0\"?>\n<Notification><OrderType>orders</OrderType>"
                + "<OrderId>aaaaaaaa-0000-4000-8000-000000000006</OrderId>"
                + "<n>".repeat(10_000) + "</n>".repeat(10_000) + "</Notification>\n").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "not well-formed");
        assertStillServesOrders();
    }

    @Test
    void twoHundredThousandElementsAreRefusedQuickly() throws JMSException {
        // Under the body limit (~800 KB), over the parser's element-count bound (100,000).
        byte[] body = ("<?xml version=\"1.0\"?>\n<Notification><OrderType>orders</OrderType>"
                + "<OrderId>aaaaaaaa-0000-4000-8000-000000000007</OrderId>"
                + "<e/>".repeat(200_000) + "</Notification>\n").getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isLessThan(MAX_BODY);

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "not well-formed");
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Body size: the boundary (over-the-limit with and without Content-Length is IngressSecurityEndToEndTest's)
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void bodyOfExactlyTheLimitIsReadAndOneByteMoreIs413WithContentLength() throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        int over = NEXT_ORDER.incrementAndGet();
        byte[] atLimit = paddedOrder(n, MAX_BODY);
        byte[] overLimit = paddedOrder(over, MAX_BODY + 1);

        HttpResponse<String> accepted = quickly(() -> bandwidth().post(WEBHOOK, atLimit, "Content-Type", "application/xml"));
        HttpResponse<String> refused = quickly(() -> bandwidth().post(WEBHOOK, overLimit, "Content-Type", "application/xml"));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000)).isNotNull();
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(over) + "'", 300)).as("the 413 body").isNull();
        assertStillServesOrders();
    }

    @Test
    void chunkedBodyOfExactlyTheLimitIsReadAndOneByteMoreIs413() throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        int over = NEXT_ORDER.incrementAndGet();
        byte[] atLimit = paddedOrder(n, MAX_BODY);
        byte[] overLimit = paddedOrder(over, MAX_BODY + 1);

        HttpResponse<String> accepted = quickly(() -> bandwidth().send(chunked(atLimit)));
        HttpResponse<String> refused = quickly(() -> bandwidth().send(chunked(overLimit)));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000)).isNotNull();
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(over) + "'", 300)).as("the 413 body").isNull();
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. Slow loris: bodies that never finish
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void stalledBodyIsGivenUpOnWithinABoundedTime() throws Exception {
        try (Socket stalled = stall(true)) {
            long stalledAt = System.nanoTime();

            // While that request holds its connection, the node goes on serving everyone else.
            assertStillServesOrders();

            String answer;
            try {
                answer = readUntilStatusLineOrClose(stalled.getInputStream());
            } catch (SocketTimeoutException stillHeld) {
                fail("The node held a stalled request open for more than " + STALLED_REQUEST_BOUND.toSeconds() + " s");
                return;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - stalledAt)).isLessThanOrEqualTo(STALLED_REQUEST_BOUND);
            assertThat(answer).as("a request whose body never came is never a success").doesNotStartWith("HTTP/1.1 2");
        }
        assertThat(BROKER.receive(ORDERS, null, 300)).isNull();
        assertStillServesOrders();
    }

    /**
     * A client that stops sending mid-body is cut off after Tomcat's connection timeout (5 s), before the body-read
     * deadline (10 s). The answer it then gets must not approve a port-out: the fail mode's Portable=false for a
     * port-out, on its URL or known by its first bytes, and 408 for anything else (all three got 400 before).
     */
    @Test
    void aClientThatStopsSendingItsBodyGetsAnAnswerThatNeverApprovesAPortOut() throws Exception {
        String portOutStart = "<?xml version=\"1.0\"?><PortOutValidationRequest><PON>P-STALLED</PON>";
        try (Socket order = stall(true);
                Socket portOut = stall(true, PORTOUT_ALIAS, portOutStart);
                Socket portOutOnTheGenericUrl = stall(false, WEBHOOK, portOutStart);
                Socket chunked = stallChunked()) {
            assertThat(answerUntilClosed(order)).startsWith("HTTP/1.1 408 ");
            assertThat(answerUntilClosed(chunked)).as("stopped within a chunk").startsWith("HTTP/1.1 408 ");
            for (Socket socket : List.of(portOut, portOutOnTheGenericUrl)) {
                assertThat(answerUntilClosed(socket)).startsWith("HTTP/1.1 200 ")
                        .contains("<Portable>false</Portable>").contains("<Code>7598</Code>");
            }
        }
        assertStillServesOrders();
    }

    /** A chunked POST that announces a 500-byte chunk and sends none of it. */
    private Socket stallChunked() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout((int) STALLED_REQUEST_BOUND.toMillis());
        socket.getOutputStream().write(("POST " + WEBHOOK + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n"
                + "1f4\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Everything the node sends until it closes the connection. */
    private static String answerUntilClosed(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Stalled uploads cost an attacker one idle socket each, and no credentials. They must not take the threads
     * that run webhooks: orders must still be stored and, above all, port-out validations still answered (Bandwidth
     * approves a port-out it gets no answer for).
     */
    @Test
    void manyStalledBodiesDoNotStarveOtherWebhooks() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED_CONNECTIONS; i++) {
                stalled.add(stall(false));
            }

            // One after another: by the second, every stalled request has long reached the node.
            assertStillServesOrders();
            assertStillServesOrders();
            HttpResponse<String> portOut = quickly(() -> bandwidth().post(PORTOUT_ALIAS, Payloads.read("portout/valid.xml")));
            assertThat(portOut.statusCode()).isEqualTo(200);
            assertThat(portOut.body()).contains("<Portable>true</Portable>");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
            // Should requests have queued behind the stalled ones, let them finish here rather than in a later test.
            try {
                bandwidth().post(WEBHOOK, Orders.numbered(NEXT_ORDER.incrementAndGet()));
            } catch (IllegalStateException timedOut) {
                // best effort only: the assertions above have already decided the outcome
            }
            BROKER.drain(ORDERS);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Broken encodings
    // ---------------------------------------------------------------------------------------------------------

    static Stream<Arguments> badBytes() {
        return Stream.of(
                Arguments.of("lone 0xFF", new byte[] {(byte) 0xFF}),
                Arguments.of("lead byte then ASCII", new byte[] {(byte) 0xC3, 0x28}),
                Arguments.of("overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("UTF-8-encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                Arguments.of("truncated sequence", new byte[] {(byte) 0xE2, (byte) 0x82}),
                Arguments.of("NUL (valid UTF-8, not an XML character)", new byte[] {0x00}),
                Arguments.of("U+0001 (valid UTF-8, not an XML 1.0 character)", new byte[] {0x01}),
                Arguments.of("U+FFFE (valid UTF-8, not an XML character)", new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBE}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBytes")
    void orderWithBytesThatAreNotUtf8XmlIsRefusedAndKeptByteForByte(String what, byte[] bad) throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n);
        int at = order.indexOf("</Message>");
        byte[] body = concat(order.substring(0, at).getBytes(StandardCharsets.UTF_8), "caf".getBytes(StandardCharsets.UTF_8),
                bad, order.substring(at).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "not well-formed");
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 300)).isNull();
        assertStillServesOrders();
    }

    @Test
    void chunkedOrderWithInvalidUtf8IsRefusedAndKeptByteForByte() throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n);
        int at = order.indexOf("</Message>");
        byte[] body = concat(order.substring(0, at).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28},
                order.substring(at).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = quickly(() -> bandwidth().send(chunked(body)));

        assertRejected(response, body, "not well-formed");
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Encodings XML allows besides UTF-8
    // ---------------------------------------------------------------------------------------------------------

    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of("UTF-16BE with BOM", "UTF-16", new byte[] {(byte) 0xFE, (byte) 0xFF}, StandardCharsets.UTF_16BE),
                Arguments.of("UTF-16LE with BOM", "UTF-16", new byte[] {(byte) 0xFF, (byte) 0xFE}, StandardCharsets.UTF_16LE),
                Arguments.of("UTF-8 with BOM", "UTF-8", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, StandardCharsets.UTF_8),
                Arguments.of("ISO-8859-1, declared", "ISO-8859-1", new byte[0], StandardCharsets.ISO_8859_1));
    }

    /**
     * Every XML processor must read UTF-16 (with its byte-order mark) and the encoding a document declares, so such
     * an order is well-formed and is accepted like any other. The TextMessage holds the characters Bandwidth sent:
     * decoded as the XML says, without the byte-order mark (which is not part of the document).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void orderInAnotherEncodingIsQueuedAsTheCharactersSent(String what, String declared, byte[] bom, java.nio.charset.Charset charset)
            throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        String message = charset.equals(StandardCharsets.ISO_8859_1) ? "Créé: numéro ½" : "Créé: numéro ☎ 𝄞";
        String order = Orders.numbered(n).replace("encoding=\"UTF-8\"", "encoding=\"" + declared + "\"")
                .replace("Created a new number order", message);
        assertThat(order).contains("encoding=\"" + declared + "\"").contains(message);
        byte[] body = concat(bom, order.getBytes(charset));

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Message queued = BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000);
        assertThat(queued).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) queued).getText()).isEqualTo(order);
        assertThat(queued.getStringProperty("OrderType")).isEqualTo("orders");
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 8. Content-Type is not trusted: the XML decides
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The type of a webhook is read from its content, never from its Content-Type (README: "decided by the XML"):
     * a valid order labelled text/plain, application/json or not labelled at all is still an order, so it is
     * queued and answered 200 rather than lost over a header Bandwidth might get wrong.
     */
    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/json", "application/octet-stream", "text/xml; charset=ISO-8859-1",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", ""})
    void contentTypeDoesNotDecideTheType(String contentType) throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n);
        byte[] body = order.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = quickly(() -> contentType.isEmpty()
                ? bandwidth().post(WEBHOOK, body)
                : bandwidth().post(WEBHOOK, body, "Content-Type", contentType));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Message queued = BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000);
        assertThat(queued).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) queued).getText()).isEqualTo(order);
    }

    @Test
    void jsonBodyIs400EvenWhenLabelledJson() throws JMSException {
        byte[] body = Payloads.bytes("invalid/json.json");

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/json"));

        assertRejected(response, body, "not well-formed");
        assertStillServesOrders();
    }

    @Test
    void emptyBodyWithoutContentTypeIs400() throws JMSException {
        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, new byte[0]));

        assertRejected(response, new byte[0], "empty");
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 9. Neither an order nor an event
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void notificationWithNeitherOrderNorEventFieldsIs400() throws JMSException {
        byte[] body = Payloads.bytes("invalid/neither-order-nor-event.xml");

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, body, "Content-Type", "application/xml"));

        assertRejected(response, body, "neither");
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 10. Headers that try to steer the exchange (any letter case)
    // ---------------------------------------------------------------------------------------------------------

    private static final Map<String, String> STEERING_HEADERS = Map.of(
            "camelhttpresponsecode", "204",
            "CAMELJMSDESTINATIONNAME", "evil",
            "jmsdestination", "queue://evil",
            "CamelHttpUri", "http://127.0.0.1:9/evil",
            "camelHttpPath", "/evil",
            "JMSReplyTo", "evil.reply",
            "jmstype", "evil-type",
            "CamelJmsDestination", "queue://evil",
            "JMSCorrelationID", "evil-correlation",
            "OrderType", "evil-type");

    @Test
    void caseVariantCamelAndJmsHeadersSteerNothing() throws JMSException {
        BROKER.drain("evil");
        BROKER.drain("evil.reply");
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n);
        HttpRequest.Builder request = bandwidth().request(WEBHOOK)
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(order, StandardCharsets.UTF_8));
        STEERING_HEADERS.forEach(request::header);

        HttpResponse<String> response = quickly(() -> bandwidth().send(request));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        Message queued = BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000);
        assertThat(queued).isNotNull();
        assertThat(((TextMessage) queued).getText()).isEqualTo(order);
        assertThat(queued.getJMSType()).isNull();
        assertThat(queued.getJMSReplyTo()).isNull();
        assertThat(queued.getJMSCorrelationID()).isEqualTo(Orders.id(n));
        assertThat(queued.getStringProperty("OrderType")).isEqualTo("orders");
        List<String> properties = propertyNames(queued);
        for (String injected : STEERING_HEADERS.keySet()) {
            if (!injected.equals("OrderType") && !injected.equals("JMSCorrelationID")) {
                assertThat(properties).as("JMS properties").noneMatch(name -> name.equalsIgnoreCase(injected));
            }
        }
        assertThat(BROKER.receive("evil", null, 500)).isNull();
        assertThat(BROKER.receive("evil.reply", null, 300)).isNull();
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 11. Oversized headers
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void sixtyFourKilobyteHeaderGetsAClear4xx() throws Exception {
        RawResponse response = rawPost("X-Long: " + "a".repeat(64 * 1024) + "\r\n"
                + "Authorization: " + BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD) + "\r\n",
                Orders.numbered(NEXT_ORDER.incrementAndGet()).getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.text()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Tomcat/");
        assertThat(BROKER.receive(ORDERS, null, 300)).isNull();
        assertStillServesOrders();
    }

    @Test
    void tenKilobyteAuthorizationHeaderGetsAClear4xx() throws Exception {
        String credentials = BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD + "x".repeat(7_500));
        assertThat(credentials.length()).isGreaterThan(10_000);

        RawResponse response = rawPost("Authorization: " + credentials + "\r\n",
                Orders.numbered(NEXT_ORDER.incrementAndGet()).getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.text()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Tomcat/")
                .doesNotContain("xxxxxxxx");
        assertThat(BROKER.receive(ORDERS, null, 300)).isNull();
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 12. Malformed credentials: always the challenge
    // ---------------------------------------------------------------------------------------------------------

    static Stream<Arguments> malformedAuthorization() {
        Base64.Encoder b64 = Base64.getEncoder();
        String user = BandwidthClient.USERNAME;
        String password = BandwidthClient.PASSWORD;
        byte[] huge = new byte[4_500];
        Arrays.fill(huge, (byte) 'A');
        return Stream.of(
                Arguments.of("not base64", "Basic !!!not*base64%%%"),
                Arguments.of("huge base64 (6 KB)", "Basic " + b64.encodeToString(huge)),
                Arguments.of("scheme only", "Basic"),
                Arguments.of("empty user and password", "Basic " + b64.encodeToString(":".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("empty password", "Basic " + b64.encodeToString((user + ":").getBytes(StandardCharsets.UTF_8))),
                Arguments.of("empty user", "Basic " + b64.encodeToString((":" + password).getBytes(StandardCharsets.UTF_8))),
                Arguments.of("no colon", "Basic " + b64.encodeToString(user.getBytes(StandardCharsets.UTF_8))),
                Arguments.of("valid pair with trailing garbage", BandwidthClient.basic(user, password) + "!!"),
                Arguments.of("valid pair plus NUL", BandwidthClient.basic(user, password + "\u0000")),
                Arguments.of("invalid UTF-8 inside", "Basic " + b64.encodeToString(new byte[] {(byte) 0xFF, ':', (byte) 0xC3})),
                Arguments.of("Bearer with the right pair", "Bearer " + b64.encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))),
                Arguments.of("Digest", "Digest username=\"" + user + "\", realm=\"numbers-router\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAuthorization")
    void malformedAuthorizationIsChallenged(String what, String authorization) throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        HttpResponse<String> response = quickly(() -> anonymous().send(anonymous().request(WEBHOOK)
                .header("Authorization", authorization)
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(Orders.numbered(n), StandardCharsets.UTF_8))));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm=\"numbers-router\""));
        assertThat(response.body()).isEqualTo("Authentication required\n");
        assertThat(BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 300)).isNull();
        assertStillServesOrders();
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    /** The node still takes a normal order afterwards: 200, and the order reaches bandwidth.orders as sent. */
    private void assertStillServesOrders() throws JMSException {
        int n = NEXT_ORDER.incrementAndGet();
        String order = Orders.numbered(n);

        HttpResponse<String> response = quickly(() -> bandwidth().post(WEBHOOK, order));

        assertThat(response.statusCode()).as("a normal order after the hostile one").isEqualTo(200);
        Message queued = BROKER.receive(ORDERS, "OrderId = '" + Orders.id(n) + "'", 10_000);
        assertThat(queued).as("the normal order on " + ORDERS).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) queued).getText()).isEqualTo(order);
    }

    /** 400 with a one-line reason, nothing queued as an order, the exact bytes kept on bandwidth.unclassified. */
    private void assertRejected(HttpResponse<String> response, byte[] sent, String reasonContains) throws JMSException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        String reason = response.body().trim();
        assertThat(reason).contains(reasonContains).doesNotContain("\n").doesNotContain("Exception")
                .doesNotContain("\tat ").doesNotContain("root:");
        assertThat(BROKER.receive(ORDERS, null, 300)).as("nothing queued as an order").isNull();

        Message kept = BROKER.receive(UNCLASSIFIED);
        assertThat(kept).isInstanceOf(BytesMessage.class);
        BytesMessage bytes = (BytesMessage) kept;
        byte[] stored = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(stored);
        assertThat(stored).as("the raw body, byte for byte").isEqualTo(sent);
        assertThat(kept.getStringProperty("DeadLetterReason")).isEqualTo(reason);
    }

    private static <T> T quickly(org.junit.jupiter.api.function.ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(QUICKLY, call, "the node must answer a hostile request within " + QUICKLY);
    }

    /** A loopback port that records whether the node tried to fetch anything (a DTD, an external entity). */
    private static ServerSocket canary() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static byte[] pointedAt(ServerSocket canary, String fixture) {
        assertThat(fixture).contains("127.0.0.1:9/").doesNotContain("${");
        return fixture.replace("127.0.0.1:9/", "127.0.0.1:" + canary.getLocalPort() + "/").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNotContacted(ServerSocket canary) throws IOException {
        // Any fetch would have happened while the request was parsed, so it would already wait in the backlog.
        canary.setSoTimeout(300);
        assertThatThrownBy(() -> canary.accept().close()).as("the node connected to the URL in the DTD")
                .isInstanceOf(SocketTimeoutException.class);
    }

    private static byte[] paddedOrder(int n, int size) {
        byte[] order = Orders.numbered(n).getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[size];
        System.arraycopy(order, 0, padded, 0, order.length);
        // Trailing white space after the root element is allowed by the XML grammar (Misc*).
        Arrays.fill(padded, order.length, size, (byte) ' ');
        padded[size - 1] = '\n';
        return padded;
    }

    private HttpRequest.Builder chunked(byte[] body) {
        // ofInputStream has no known length, so the client sends it chunked, without Content-Length.
        return bandwidth().request(WEBHOOK).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static List<String> propertyNames(Message message) throws JMSException {
        List<String> names = new ArrayList<>();
        for (Object name : Collections.list(message.getPropertyNames())) {
            names.add((String) name);
        }
        return names;
    }

    private record RawResponse(int status, String text) {
    }

    /** One HTTP/1.1 POST written byte for byte (for headers no client library would send), read to its end. */
    private RawResponse rawPost(String extraHeaders, byte[] body) throws IOException {
        return assertTimeoutPreemptively(QUICKLY, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                socket.setSoTimeout((int) QUICKLY.toMillis());
                OutputStream out = socket.getOutputStream();
                try {
                    out.write(("POST " + WEBHOOK + " HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\n"
                            + "Content-Type: application/xml\r\n"
                            + "Content-Length: " + body.length + "\r\n"
                            + "Connection: close\r\n"
                            + extraHeaders
                            + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (java.net.SocketException closedEarly) {
                    // The server may answer a request it refuses (headers too large) and close before the body is
                    // written: the write then fails with a broken pipe, and the answer is already there to read.
                }
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                try {
                    for (int read; (read = in.read(buffer)) != -1; ) {
                        received.write(buffer, 0, read);
                    }
                } catch (java.net.SocketException reset) {
                    // The server may reset a connection whose request it did not read to the end; keep what came.
                }
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
                return new RawResponse(status, text);
            }
        });
    }

    /** A POST whose headers announce 1000 bytes of body, of which only a few ever come. */
    private Socket stall(boolean authenticated) throws IOException {
        return stall(authenticated, WEBHOOK, "<?xml version=\"1.0\"?><Notification>");
    }

    /** Sends the headers of a POST declaring 1,000 bytes of body, then {@code bodyStart}, and no more. */
    private Socket stall(boolean authenticated, String path, String bodyStart) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout((int) STALLED_REQUEST_BOUND.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + (authenticated
                        ? "Authorization: " + BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD) + "\r\n"
                        : "")
                + "Content-Type: application/xml\r\n"
                + "Content-Length: 1000\r\n"
                + "\r\n"
                + bodyStart).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads the status line, or up to the server closing the connection; "" when it closed without answering. */
    private static String readUntilStatusLineOrClose(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') {
                    break;
                }
                line.write(b);
            }
        } catch (java.net.SocketException reset) {
            // closed by a reset: the node gave up on the request
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
}
