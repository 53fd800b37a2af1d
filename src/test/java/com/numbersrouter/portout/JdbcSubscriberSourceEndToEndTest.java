package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.numbersrouter.dedupe.ExpiringJdbcMessageIdRepository;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import org.apache.camel.spi.IdempotentRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Port-out validation over HTTP with the subscriber directory in a database, as an operator sets it up: the table
 * from docs/portout-subscribers.sql, {@code subscriber-source=jdbc}, and duplicate suppression on the same database
 * through the same pool. H2 in PostgreSQL mode stands in for the operator's PostgreSQL.
 */
@IsolatedNode
@TestPropertySource(properties = {
        "spring.mail.host=127.0.0.1", "spring.mail.port=9",
        "numbers-router.portout.subscriber-source=jdbc",
        "numbers-router.dedupe.repository=jdbc",
        "spring.datasource.url=jdbc:h2:mem:portout-subscribers;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "spring.datasource.username=sa"
})
class JdbcSubscriberSourceEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("portout-jdbc-broker");
    private static final String PORTOUT = "/webhooks/bandwidth/portout-validation";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource nodeDataSource;

    @Autowired
    PortOutGatekeeper gatekeeper;

    JdbcTemplate db;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    /** The two numbers of valid.xml, stored the documented way: 10 digits, PIN hashed. */
    @BeforeEach
    void subscribersInTheDatabase() {
        gatekeeper.reset(); // each test asks afresh, not a repeat of another test's request
        db = new JdbcTemplate(nodeDataSource);
        db.execute("DROP TABLE IF EXISTS portout_subscribers");
        new ResourceDatabasePopulator(new FileSystemResource(Path.of("docs/portout-subscribers.sql")))
                .execute(nodeDataSource);
        for (String tn : new String[] {TestSubscribers.TN_1, TestSubscribers.TN_2}) {
            db.update("INSERT INTO portout_subscribers VALUES (?, ?, ?, ?, ?, ?)", tn, TestSubscribers.ACCOUNT,
                    TestSubscribers.bcrypt(TestSubscribers.PIN), TestSubscribers.ZIP, TestSubscribers.NAME, true);
        }
    }

    @Test
    void aRequestMatchingTheRowsIsApprovedWhicheverWayTheNumbersAreWritten() throws Exception {
        PortOutValidationEndToEndTest.Answer answer = post(Payloads.read("portout/valid.xml"));
        assertThat(answer.portable()).as(answer.xml()).isTrue();
        assertThat(answer.pon()).isEqualTo("WIN-20250304-0042");

        // +19195550188 in the request, 9195550188 in the table
        PortOutValidationEndToEndTest.Answer e164 = post(Payloads.read("portout/e164.xml"));
        assertThat(e164.portable()).as(e164.xml()).isTrue();
    }

    @Test
    void requestsTheRowsDoNotBearOutAreDenied() throws Exception {
        PortOutValidationEndToEndTest.Answer wrongPin = post(Payloads.read("portout/wrong-pin.xml"));
        assertThat(wrongPin.portable()).isFalse();
        assertThat(wrongPin.codes()).containsExactly("7513");
        assertThat(wrongPin.xml()).doesNotContain(TestSubscribers.PIN);

        assertThat(post(Payloads.read("portout/unknown-number.xml")).codes()).containsExactly("7516");
    }

    @Test
    void aChangedRowCountsFromTheNextRequest() throws Exception {
        db.update("UPDATE portout_subscribers SET active = false WHERE telephone_number = ?", TestSubscribers.TN_2);

        PortOutValidationEndToEndTest.Answer answer = post(Payloads.read("portout/valid.xml"));
        assertThat(answer.portable()).isFalse();
        assertThat(answer.codes()).containsExactly("7518");
    }

    @Test
    void subscribersAndDuplicateSuppressionShareOnePool() {
        assertThat(context.getBeansOfType(DataSource.class)).hasSize(1);
        IdempotentRepository deduplication = context.getBean("notificationDeduplication", IdempotentRepository.class);
        assertThat(deduplication).isInstanceOf(ExpiringJdbcMessageIdRepository.class);
        assertThat(((ExpiringJdbcMessageIdRepository) deduplication).getJdbcTemplate().getDataSource())
                .isSameAs(nodeDataSource);
        assertThat(context.getBean(SubscriberDirectory.class).sourceName()).isEqualTo("jdbc");
    }

    private PortOutValidationEndToEndTest.Answer post(String xml) throws Exception {
        HttpResponse<String> response = BandwidthClient.bandwidth(port).post(PORTOUT, xml);
        assertThat(response.statusCode()).isEqualTo(200);
        return PortOutValidationEndToEndTest.Answer.parse(response.body());
    }
}
