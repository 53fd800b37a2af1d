package com.numbersrouter.infra;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.portout.audit.PortOutAuditConfiguration;
import com.numbersrouter.portout.audit.PortOutDecisionJournal;
import com.numbersrouter.support.InProcessServers;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node left running on its in-process broker with nobody reading the port-out decisions queue: each decision
 * would stay on the broker for ever, and since KahaDB frees a journal file only once every message in it is gone,
 * a few decisions a minute would keep every file of orders and events too, until the store was full and
 * notifications were refused. A decision nobody has read within its time to live (here 1 s) is dropped: not kept,
 * and not moved to ActiveMQ.DLQ, where the dead-letter alerts would page for it and the store keep it all the same.
 * The store's size is a metric, for the alert that comes before a full store.
 */
@IsolatedNode
@AutoConfigureObservability(tracing = false)
@TestPropertySource(properties = {
        "numbers-router.embedded-broker.connector=",
        // under the free disk of any build machine: ActiveMQ lowers a limit to the disk's free space
        "numbers-router.embedded-broker.store-limit=200MB",
        "numbers-router.portout.decisions-time-to-live=1s"})
class EmbeddedBrokerDecisionExpiryEndToEndTest {

    private static final String DECISIONS = "bandwidth.portout.decisions";

    @Autowired
    BrokerService embeddedBroker;

    @LocalManagementPort
    int managementPort;

    @Autowired
    EmbeddedBrokerProperties brokerProperties;

    @Autowired
    @Qualifier(PortOutAuditConfiguration.JOURNAL_BEAN)
    PortOutDecisionJournal journal;

    @DynamicPropertySource
    static void outOfTheWay(DynamicPropertyRegistry registry) throws Exception {
        InProcessServers.outOfTheWay(registry);
    }

    @Test
    void aDecisionNobodyReadsIsDroppedOnceItsTimeToLiveHasPassed() throws Exception {
        journal.record(new PortOutDecision(Instant.now(), "PON-UNREAD", List.of("9195550188"), true, List.of(),
                "directory:csv", 3));

        Destination decisions = embeddedBroker.getDestination(new ActiveMQQueue(DECISIONS));
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(decisions.getDestinationStatistics().getEnqueues().getCount()).as("published").isOne());
        // The broker looks for expired messages every 30 s, and whenever the queue is read or browsed, as here.
        await().atMost(20, TimeUnit.SECONDS).until(() -> decisions.browse().length == 0);

        assertThat(decisions.getDestinationStatistics().getExpired().getCount()).isOne();
        assertThat(decisions.getDestinationStatistics().getMessages().getCount()).isZero();
        Destination deadLetters = embeddedBroker.getDestination(new ActiveMQQueue("ActiveMQ.DLQ"));
        assertThat(deadLetters.getDestinationStatistics().getMessages().getCount()).as("dead-lettered").isZero();
        // not silently: a reader that was away longer than the time to live missed it
        assertThat(Management.anonymous(managementPort).get("/actuator/prometheus"))
                .containsPattern("(?m)^numbers_router_portout_decisions_expired_total 1\\.0$");
    }

    /** As Prometheus scrapes them, under the names the NumbersRouterBrokerStoreFilling rule reads. */
    @Test
    void theStoresSizeAndItsLimitAreScraped() {
        String scraped = Management.anonymous(managementPort).get("/actuator/prometheus");
        assertThat(scraped).containsPattern("(?m)^numbers_router_embedded_broker_store_limit_bytes "
                + Pattern.quote(String.valueOf((double) brokerProperties.storeLimit().toBytes())) + "$");
        Matcher used = Pattern.compile("(?m)^numbers_router_embedded_broker_store_used_bytes (\\S+)$").matcher(scraped);
        assertThat(used.find()).as("numbers_router_embedded_broker_store_used_bytes").isTrue();
        assertThat(Double.parseDouble(used.group(1))).as("KahaDB's journal and index on disk").isPositive();
    }
}
