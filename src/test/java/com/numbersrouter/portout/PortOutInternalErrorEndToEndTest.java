package com.numbersrouter.portout;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the subscriber directory fails, the answer must still be a 200 {@code Portable=false} with 7598, never a
 * 500: Bandwidth would approve the port-out on a 5xx. The directory is a database (H2 standing in for the
 * operator's) whose lookup fails in the database itself: it calls {@link #failingLookup}, which counts the call and
 * throws, with a detail that must not reach the answer. (Public, so that the database may call it.)
 */
@IsolatedNode
@TestPropertySource(properties = {"spring.mail.host=127.0.0.1", "spring.mail.port=9",
        "numbers-router.portout.subscriber-source=jdbc",
        "spring.datasource.url=jdbc:h2:mem:failing-directory;DB_CLOSE_DELAY=-1;INIT=CREATE ALIAS IF NOT EXISTS"
                + " FAILING_LOOKUP FOR 'com.numbersrouter.portout.PortOutInternalErrorEndToEndTest.failingLookup'",
        "spring.datasource.username=sa",
        "numbers-router.portout.jdbc.query=SELECT CAST(? AS varchar) AS telephone_number, 'ACCT' AS account_number,"
                + " NULL AS pin_hash, '27606' AS zip_code, 'Acme' AS subscriber_name, TRUE AS active"
                + " FROM SYSTEM_RANGE(1, 1) WHERE FAILING_LOOKUP()"})
public class PortOutInternalErrorEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("portout-error-broker");
    /** Lookups the database was asked for. */
    private static final AtomicInteger LOOKUPS = new AtomicInteger();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    /** Called by the database for every lookup: the directory's failure. */
    public static boolean failingLookup() throws SQLException {
        LOOKUPS.incrementAndGet();
        throw new SQLException("directory unavailable (secret detail 048213)");
    }

    @Test
    void directoryFailureIsAnsweredPortableFalseWith7598() {
        HttpResponse<String> response = BandwidthClient.bandwidth(port)
                .post("/webhooks/bandwidth/portout-validation", Payloads.read("portout/valid.xml"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/xml"));
        assertThat(response.body())
                .contains("<Portable>false</Portable>")
                .contains("<Code>7598</Code>")
                .doesNotContain("048213")
                .doesNotContain("Exception");
    }

    /**
     * A directory that keeps failing is left alone for a while (README "Deadline and fail mode"): after 10 port-outs
     * at least half of which failed, the breaker opens, and the next ones get the fail mode's answer at once, without
     * a lookup, for 30 s. Each request has its own PON, so none is answered as a repeat.
     */
    @Test
    void aDirectoryThatKeepsFailingIsNotAskedWhileTheBreakerIsOpen() {
        BandwidthClient bandwidth = BandwidthClient.bandwidth(port);
        String request = Payloads.read("portout/valid.xml");
        for (int n = 1; n <= 10; n++) {
            assertFailModeAnswer(bandwidth.post("/webhooks/bandwidth/portout-validation",
                    request.replace("WIN-20250304-0042", "WIN-BREAKER-" + n)));
        }
        int asked = LOOKUPS.get();
        assertThat(asked).as("the database was asked, and failed").isPositive();

        for (int n = 11; n <= 15; n++) {
            assertFailModeAnswer(bandwidth.post("/webhooks/bandwidth/portout-validation",
                    request.replace("WIN-20250304-0042", "WIN-BREAKER-" + n)));
        }
        assertThat(LOOKUPS.get()).as("lookups while the breaker is open").isEqualTo(asked);
    }

    private static void assertFailModeAnswer(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<Portable>false</Portable>").contains("<Code>7598</Code>");
    }
}
