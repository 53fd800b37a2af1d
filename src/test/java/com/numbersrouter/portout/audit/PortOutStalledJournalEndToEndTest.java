package com.numbersrouter.portout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.numbersrouter.support.BandwidthClient;
import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import com.numbersrouter.support.Payloads;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A node whose audit disk stalls (every sync hangs, as on a dead NFS server): a port-out must still be answered, a
 * 200 with the decision made, well within Bandwidth's 30 s; silence would approve it. Once the disk is back, the
 * decisions answered meanwhile are in the journal.
 */
@IsolatedNode
@Import(PortOutStalledJournalEndToEndTest.StalledDisk.class)
@TestPropertySource(properties = {"numbers-router.portout.audit.record-timeout=1s", "spring.mail.host=127.0.0.1",
        "spring.mail.port=9"})
class PortOutStalledJournalEndToEndTest {

    private static final TestBroker BROKER = TestBroker.start("portout-stalled-journal-broker");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Counted down when the disk recovers; every sync meanwhile waits for it. */
    private static final CountDownLatch RECOVERED = new CountDownLatch(1);
    private static volatile boolean stalled;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.activemq.broker-url", BROKER::url);
    }

    /** The node's journal, as configured, on a disk whose syncs hang while {@link #stalled}. */
    @TestConfiguration
    static class StalledDisk {
        @Bean
        static BeanPostProcessor stalledJournalDisk() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof PortOutDecisionJournal journal)
                            || !PortOutAuditConfiguration.JOURNAL_BEAN.equals(name)) {
                        return bean;
                    }
                    journal.close();
                    return new PortOutDecisionJournal(journal.directory(), Duration.ofDays(400),
                            journal.recordTimeout(), Clock.systemUTC(), new PortOutDecisionJson(),
                            new SimpleMeterRegistry(), PortOutStalledJournalEndToEndTest::force);
                }
            };
        }
    }

    private static void force(FileChannel channel) throws IOException {
        if (stalled) {
            try {
                RECOVERED.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.force(true);
    }

    @AfterAll
    static void recover() {
        stalled = false;
        RECOVERED.countDown();
    }

    @Test
    void aPortOutIsAnsweredAsDecidedWhileTheAuditDiskHangs() throws Exception {
        stalled = true;

        // the first starts the sync that hangs; the second finds it hung
        for (String pon : new String[] {"STALLED-1", "STALLED-2"}) {
            String answer = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> postValidRequest(pon), pon);
            assertThat(answer).contains("<PON>" + pon + "</PON>").contains("<Portable>true</Portable>");
        }

        stalled = false;
        RECOVERED.countDown();

        String answer = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> postValidRequest("RECOVERED-3"));
        assertThat(answer).contains("<Portable>true</Portable>");
        // the decisions answered while the disk hung were written, and are on disk with the first sync after it
        for (String pon : new String[] {"STALLED-1", "STALLED-2", "RECOVERED-3"}) {
            JsonNode found = JSON.readTree(new Management(managementPort).get("/actuator/portoutdecisions?pon=" + pon));
            assertThat(found.get("count").asInt()).as(pon).isEqualTo(1);
            assertThat(found.get("decisions").get(0).get("portable").asBoolean()).as(pon).isTrue();
        }
    }

    private String postValidRequest(String pon) {
        String xml = Payloads.read("portout/valid.xml").replaceFirst("<PON>[^<]*</PON>", "<PON>" + pon + "</PON>");
        HttpResponse<String> response = BandwidthClient.bandwidth(port)
                .post("/webhooks/bandwidth/portout-validation", xml);
        assertThat(response.statusCode()).as(pon).isEqualTo(200);
        return response.body();
    }
}
