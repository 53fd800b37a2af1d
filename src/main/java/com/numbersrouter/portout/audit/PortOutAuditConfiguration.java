package com.numbersrouter.portout.audit;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.broker.GroupCommitProperties;
import com.numbersrouter.infra.DataFolderLock;
import com.numbersrouter.ingress.WebhookCredentials;
import com.numbersrouter.portout.PortOutGatekeeper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The port-out audit trail: the journal the port-out route records each decision in (by bean name), the feed that
 * publishes the journal's decisions through {@code routes/portout-audit.camel.yaml} and the beans that route calls,
 * and {@code /actuator/portoutdecisions}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PortOutAuditProperties.class)
public class PortOutAuditConfiguration {

    public static final String JOURNAL_BEAN = "portOutDecisionJournal";
    /** The route (routes/portout-audit.camel.yaml) the feed sends each decision through. */
    static final String PUBLISH_ROUTE = "direct:portout-decision-publish";

    /** disk_free_bytes / disk_total_bytes{path} of the journal's disk: a full disk fails every decision's record. */
    @Bean
    public MeterBinder portOutAuditDiskSpace(PortOutAuditProperties properties) {
        return new DiskSpaceMetrics(properties.audit().directory().toFile());
    }

    @Bean
    public PortOutDecisionJson portOutDecisionJson() {
        return new PortOutDecisionJson();
    }

    @Bean
    public PortOutDecisionJmsProperties portOutDecisionJmsProperties() {
        return new PortOutDecisionJmsProperties();
    }

    /** Held while the node runs: a second node on the same journal folder would append to it with a feed of its own. */
    @Bean(destroyMethod = "close")
    public DataFolderLock portOutAuditFolderLock(PortOutAuditProperties properties) {
        return DataFolderLock.take(properties.audit().directory(),
                "port-out audit journal (numbers-router.portout.audit.directory)");
    }

    /** Created at start-up, so an unusable directory stops the node instead of failing port-outs later. */
    @Bean(JOURNAL_BEAN)
    public PortOutDecisionJournal portOutDecisionJournal(PortOutAuditProperties properties, PortOutDecisionJson json,
            MeterRegistry meters, DataFolderLock portOutAuditFolderLock) {
        return new PortOutDecisionJournal(properties.audit().directory(), properties.audit().retention(),
                properties.audit().recordTimeout(), properties.audit().nodeName(), Clock.systemUTC(), json, meters);
    }

    /**
     * Publishes the journal's decisions through {@code direct:portout-decision-publish}; started once Camel runs,
     * stopped after the web server (see {@link PortOutDecisionFeed#PHASE}). It takes the publisher as a bean of its
     * own: a lifecycle bean that needed the Camel context directly would have Spring start Camel early, before the
     * route files are loaded into it.
     */
    @Bean
    public PortOutDecisionFeed portOutDecisionFeed(PortOutDecisionJournal journal, PortOutDecisionJson json,
            DecisionPublishRoute publisher, PortOutAuditProperties properties,
            GroupCommitProperties groupCommitProperties, MeterRegistry meters) {
        return new PortOutDecisionFeed(journal, json, publisher, properties.decisionsQueue(),
                groupCommitProperties.maxMessages(), Duration.ofSeconds(30), meters);
    }

    @Bean
    public DecisionPublishRoute decisionPublishRoute(CamelContext camel, BrokerGroupCommit groupCommit) {
        return new DecisionPublishRoute(camel, groupCommit, PUBLISH_ROUTE);
    }

    /** Records the port-outs the servlet filters and the authentication answered before the routes saw them. */
    @Bean
    public UnreadPortOutAudit unreadPortOutAudit(PortOutGatekeeper portOutGatekeeper, PortOutDecisionJournal journal,
            @Qualifier("safeXmlMapper") XmlMapper safeXmlMapper, WebhookCredentials webhookCredentials,
            MeterRegistry meters) {
        return new UnreadPortOutAudit(portOutGatekeeper, journal, safeXmlMapper, webhookCredentials, meters);
    }

    @Bean
    public PortOutDecisionEndpoint portOutDecisionEndpoint(PortOutDecisionJournal journal) {
        return new PortOutDecisionEndpoint(journal, Clock.systemUTC());
    }
}
