package com.numbersrouter.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Orders;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bodies are read before their credentials are checked, so an attacker with no credentials decides what the node
 * reads. Over real sockets: the bodies held at once are bounded (a request beyond gets 503 unread, a port-out the fail
 * mode's answer, and Bandwidth's small webhooks still get through), a body dribbled in gets 408 at its deadline, and
 * uploads that stall hold no thread.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "numbers-router.webhook.max-body-size=64KB",
        "numbers-router.webhook.body-memory=96KB",
        // long enough for the stalled uploads of the first test to hold their bytes through it
        "numbers-router.webhook.body-read-timeout=8s",
        // so a stalled upload is ended by the body-read deadline, not by Tomcat's usual 5 s without a byte
        "server.tomcat.connection-timeout=30s",
        "server.tomcat.threads.max=" + BodyLimitsEndToEndTest.TOMCAT_THREADS,
        "spring.mail.host=127.0.0.1", "spring.mail.port=9"
})
class BodyLimitsEndToEndTest {

    static final int TOMCAT_THREADS = 8;
    private static final TestBroker BROKER = TestBroker.start("body-limits-broker");
    private static final String WEBHOOK = "/webhooks/bandwidth";
    /** What every body is first given, outside the body memory (WebhookBodyBuffer). */
    private static final int FIRST_CHUNK = 16 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    com.numbersrouter.portout.audit.PortOutDecisionJournal journal;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    @Test
    void bodiesHeldAtOnceAreBoundedAndBandwidthsWebhooksStillGetThrough() throws Exception {
        // Two uploads with no credentials declare 60,000 bytes, send all but the last and stall: each holds 60,000
        // less its free first 16 KB, 87,232 of the 98,304 bytes of body memory.
        try (Socket first = upload(WEBHOOK, 60_000, 59_999); Socket second = upload(WEBHOOK, 60_000, 59_999)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> bodyMemory() == 2 * (60_000 - FIRST_CHUNK));

            // A third is answered as soon as its body outgrows its free first chunk. (It sends no more than that
            // chunk: bytes the node never reads would make its close a reset, which may eat the answer.)
            try (Socket third = upload(WEBHOOK, 60_000, FIRST_CHUNK)) {
                assertThat(statusLine(third)).startsWith("HTTP/1.1 503 ");
            }
            assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "body-memory").count()).isEqualTo(1);

            // A port-out to its own URL gets the fail mode's 200 Portable=false, never a 503 (approval to Bandwidth).
            java.time.Instant before = java.time.Instant.now().minusSeconds(1);
            try (Socket portOut = upload(IntakeAdmission.PORT_OUT_PATH, 60_000, FIRST_CHUNK)) {
                String answer = readUntil(portOut, "</PortOutValidationResponse>");
                assertThat(answer).startsWith("HTTP/1.1 200 ").contains("<Portable>false</Portable>");
            }
            // and it is in the audit journal, as every answer Bandwidth is given
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(journal.find(null, null, before, 100)).anySatisfy(decision -> {
                        assertThat(decision.basis()).isEqualTo("fail-closed");
                        assertThat(decision.reason()).contains("without body memory");
                    }));

            // Bandwidth's own webhooks are a few KB, within their free first chunk: they get through, and are stored.
            HttpResponse<String> order = BandwidthClient.bandwidth(port).post(WEBHOOK, Orders.numbered(1));
            assertThat(order.statusCode()).isEqualTo(200);
            assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(1) + "'", 5_000)).isNotNull();
            HttpResponse<String> portOut = BandwidthClient.bandwidth(port)
                    .post(IntakeAdmission.PORT_OUT_PATH, Payloads.read("portout/valid.xml"));
            assertThat(portOut.body()).contains("<Portable>true</Portable>");
        }
        // Once the stalled uploads hang up, their bytes are given back.
        await().atMost(Duration.ofSeconds(10)).until(() -> bodyMemory() == 0);
    }

    /**
     * Declaring a body costs nothing until its bytes come: uploads that declare all the body memory between them and
     * send nothing (cheap for an attacker: an idle socket each) hold none of it, and Bandwidth's webhooks go on.
     */
    @Test
    void uploadsThatDeclareABodyAndSendNothingHoldNoBodyMemory() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int n = 0; n < 2; n++) {
                idle.add(upload(WEBHOOK, 49_000, 0));
            }
            HttpResponse<String> order = BandwidthClient.bandwidth(port).post(WEBHOOK, Orders.numbered(2));
            assertThat(order.statusCode()).isEqualTo(200);
            assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(2) + "'", 5_000)).isNotNull();
            assertThat(bodyMemory()).isZero();
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void aBodyDribbledInPastTheReadTimeoutGets408() throws Exception {
        double tooSlowBefore = tooSlow();
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = upload(WEBHOOK, 1_000, 0)) {
            long started = System.nanoTime();
            // A byte every 200 ms: far inside Tomcat's connection timeout for each read, 200 s for the whole body.
            // (Read without a thread, as each byte comes: the deadline is the same.)
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                } catch (IOException closed) {
                    throw new IllegalStateException("the node has closed the connection: stop dribbling", closed);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            assertThat(statusLine(socket)).startsWith("HTTP/1.1 408 ");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(20));
            // and does not go on reading it after the answer (Tomcat would swallow up to 2 MB of it by default)
            assertThat(closedByTheNode(socket)).isTrue();
        } finally {
            dribbler.shutdownNow();
        }
        assertThat(tooSlow()).isEqualTo(tooSlowBefore + 1);
        assertThat(BROKER.receive("bandwidth.orders", null, 300)).isNull();
    }

    /**
     * A body that has not arrived is waited for without a thread: three times as many uploads as Tomcat has threads,
     * each stalled after its first bytes, and Bandwidth's webhooks are still answered (waiting on a thread each, they
     * would hold every one until Tomcat's connection timeout, 30 s here, with the webhook queued behind them). Each
     * stalled upload then gets 408 at the body-read deadline.
     */
    @Test
    void uploadsStalledMidBodyHoldNoThreadSoBandwidthsWebhooksGoOn() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int n = 0; n < 3 * TOMCAT_THREADS; n++) {
                stalled.add(upload(WEBHOOK, 1_000, 10));
            }
            HttpResponse<String> order = BandwidthClient.bandwidth(port).post(WEBHOOK, Orders.numbered(3));
            assertThat(order.statusCode()).isEqualTo(200);
            assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(3) + "'", 5_000)).isNotNull();
            for (Socket socket : stalled) {
                assertThat(statusLine(socket)).startsWith("HTTP/1.1 408 ");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> bodyMemory() == 0);
    }

    /**
     * A webhook whose body comes in two pieces, the second after the node has read the first and given its thread
     * back, is read as its bytes come and then run like any other: answered 200 and stored.
     */
    @Test
    void aWebhookWhoseBodyArrivesLateIsReadWithoutAThreadAndStored() throws Exception {
        // a 20 KB comment makes it larger than its free first chunk, so the bytes read of it show as body memory
        byte[] order = Orders.numbered(4).replaceFirst("\\?>", "?><!--" + " ".repeat(20_000) + "-->")
                .getBytes(StandardCharsets.UTF_8);
        int firstPiece = FIRST_CHUNK + 2_000;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + WEBHOOK + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: " + BandwidthClient.basic(BandwidthClient.USERNAME, BandwidthClient.PASSWORD) + "\r\n"
                    + "Content-Type: application/xml\r\n"
                    + "Content-Length: " + order.length + "\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(order, 0, firstPiece);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> bodyMemory() > 0);

            out.write(order, firstPiece, order.length - firstPiece);
            out.flush();

            assertThat(statusLine(socket)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(BROKER.receive("bandwidth.orders", "OrderId = '" + Orders.id(4) + "'", 5_000)).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> bodyMemory() == 0);
    }

    /**
     * The shipped bound on connections open at once reaches Tomcat: its own default, 8,192, let clients sending
     * their requests slowly, with no credentials, fill the heap (bench/slow-clients.sh).
     */
    @Test
    void connectionsOpenAtOnceAreBoundedAsShipped(@Autowired ServletWebServerApplicationContext context) {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProperty("maxConnections")).isEqualTo(500);
    }

    private double tooSlow() {
        return meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "too-slow").count();
    }

    private double bodyMemory() {
        return meters.get("numbers.router.webhook.body.memory").gauge().value();
    }

    /** Sends the headers of a POST declaring {@code length} bytes of body, then {@code sent} bytes of it. */
    private Socket upload(String path, int length, int sent) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + length + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write("x".repeat(sent).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The status line, read as soon as it comes: the node may still be waiting for the rest of the body. */
    private static String statusLine(Socket socket) throws IOException {
        return readUntil(socket, "\r\n");
    }

    private static String readUntil(Socket socket, String end) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            read.write(b);
            if (read.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                break;
            }
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the node closes the connection (at once, or once the socket timeout has passed). */
    private static boolean closedByTheNode(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // the rest of the response
            }
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }
}
