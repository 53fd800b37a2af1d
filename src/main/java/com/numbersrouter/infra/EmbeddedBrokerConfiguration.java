package com.numbersrouter.infra;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.broker.region.policy.SharedDeadLetterStrategy;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.usage.StoreUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A persistent ActiveMQ Classic broker inside the node, for running with nothing installed.
 * The node itself talks to it over the VM transport ({@link #VM_URL}); others reach it over TCP. Every connection must
 * authenticate ({@link EmbeddedBrokerAuthentication}), the node's own included.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ZeroConfigCondition.NoBrokerConfigured.class)
public class EmbeddedBrokerConfiguration {

    static final String BROKER_NAME = "numbers-router";
    /** create=false: never let a connection silently start a second, non-persistent broker. */
    static final String VM_URL = "vm://" + BROKER_NAME + "?create=false&waitForStart=30000";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);
    private static final String DECISIONS_QUEUE = "numbers-router.portout.decisions-queue";

    /** Taken here, on the main thread: a bean made in the background may not create the beans it needs. */
    private final EmbeddedBrokerProperties properties;
    private final boolean passwordGenerated;
    private final String decisionsQueue;

    public EmbeddedBrokerConfiguration(EmbeddedBrokerProperties properties, Environment environment) {
        this.properties = properties;
        this.passwordGenerated = ZeroConfigDefaults.isDefaulted(environment, EmbeddedBrokerProperties.PASSWORD);
        this.decisionsQueue = environment.getProperty(DECISIONS_QUEUE, "bandwidth.portout.decisions");
        refuseOtherClientCredentials(properties, environment);
    }

    /**
     * spring.activemq.user/.password set with no spring.activemq.broker-url: the node would present them to its own
     * broker, which knows only numbers-router.embedded-broker.*, and every notification would go to the spool and
     * then be refused. Most likely meant for the in-process broker, or for a broker whose URL was forgotten: say so.
     */
    static void refuseOtherClientCredentials(EmbeddedBrokerProperties properties, Environment environment) {
        String user = environment.getProperty("spring.activemq.user");
        String password = environment.getProperty("spring.activemq.password");
        boolean sameUser = user == null || user.equals(properties.username());
        boolean samePassword = password == null || password.equals(properties.password());
        if (!sameUser || !samePassword) {
            throw new IllegalStateException("spring.activemq.user/password are set, but no spring.activemq.broker-url:"
                    + " the node uses its in-process broker, which accepts only " + EmbeddedBrokerProperties.USERNAME
                    + " and " + EmbeddedBrokerProperties.PASSWORD + ". Set those instead (NUMBERS_ROUTER_EMBEDDED_BROKER_"
                    + "USERNAME/_PASSWORD), or set spring.activemq.broker-url to the broker these credentials are for.");
        }
    }

    /**
     * disk_free_bytes / disk_total_bytes{path} of the broker's store, beside the spool's and the audit journal's: a
     * full disk fails every send, then the spool, and notifications get 503 (config/monitoring/alerts.yml warns
     * before).
     */
    @Bean
    public MeterBinder embeddedBrokerDiskSpace() {
        return new DiskSpaceMetrics(properties.dataDirectory().toFile());
    }

    /**
     * The store's size and its limit (numbers-router.embedded-broker.store-limit): a full store fails every send, then
     * the spool fills, and notifications get 503 (config/monitoring/alerts.yml, NumbersRouterBrokerStoreFilling). A
     * backlog nobody reads (an ESB that is down) fills it long before the disk, and KahaDB frees its 32 MB journal
     * files only once every message in them is gone, so one message left behind holds a whole file.
     */
    @Bean
    public MeterBinder embeddedBrokerStoreUsage(ObjectProvider<BrokerService> embeddedBroker) {
        // read at each scrape: the broker is made on a background thread, after this
        Supplier<StoreUsage> store = () -> embeddedBroker.getObject().getSystemUsage().getStoreUsage();
        return meters -> {
            Gauge.builder("numbers.router.embedded.broker.store.used", () -> store.get().getUsage())
                    .description("Bytes the in-process broker's store (KahaDB) takes on disk")
                    .baseUnit(BaseUnits.BYTES).register(meters);
            Gauge.builder("numbers.router.embedded.broker.store.limit", () -> store.get().getLimit())
                    .description("Most bytes the in-process broker's store may take: beyond it every send fails")
                    .baseUnit(BaseUnits.BYTES).register(meters);
            // dropped unread (decisionsDroppedWhenExpired): still in the audit journal, but a reader missed them
            ActiveMQQueue decisions = new ActiveMQQueue(decisionsQueue);
            FunctionCounter.builder("numbers.router.portout.decisions.expired", embeddedBroker, provider -> {
                        Destination queue =
                                provider.getObject().getRegionBroker().getDestinationMap(decisions).get(decisions);
                        return queue == null ? 0 : queue.getDestinationStatistics().getExpired().getCount();
                    })
                    .description("Port-out decisions the in-process broker dropped because nobody read them within"
                            + " numbers-router.portout.decisions-time-to-live (they stay in the audit journal)")
                    .register(meters);
        };
    }

    /**
     * The port-out decisions queue is a feed that may have no reader (the decisions stay in the audit journal). They
     * are sent with a time to live (numbers-router.portout.decisions-time-to-live), and an expired one is dropped here,
     * where ActiveMQ would move it to ActiveMQ.DLQ: the dead-letter alerts would page for it, and the store would keep
     * it just the same. The broker looks for expired messages every 30 s (ActiveMQ's expireMessagesPeriod).
     */
    private PolicyEntry decisionsDroppedWhenExpired() {
        PolicyEntry decisions = new PolicyEntry();
        decisions.setQueue(decisionsQueue);
        decisions.setProducerFlowControl(false); // an entry of its own takes nothing from the default one
        SharedDeadLetterStrategy dropExpired = new SharedDeadLetterStrategy();
        dropExpired.setProcessExpired(false);
        decisions.setDeadLetterStrategy(dropExpired);
        return decisions;
    }

    /**
     * Started on Spring's bootstrap executor while the main thread builds the rest of the node: about 0.3 s less to
     * readiness on 2 cores (README "Capacity and benchmarks"). The start-up still waits for it: the context is not
     * refreshed, so no route and no web server starts, until the broker has started, and a broker that fails to
     * start still fails the node. Not lazy instead: nothing injects it (the node reaches it over {@link #VM_URL}), so
     * a lazy broker would never start.
     */
    @Bean(destroyMethod = "stop", bootstrap = Bean.Bootstrap.BACKGROUND)
    public BrokerService embeddedBroker() throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        // Orders and events wait here: readable by the node's user only (ActiveMQ would create it for everyone).
        broker.setDataDirectoryFile(PrivateFolders.create(properties.dataDirectory()).toFile());
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(properties.dataDirectory().resolve("kahadb").toFile());
        // KahaDB keeps 10,000 index pages (40 MB of heap) by default; the node's queues need far fewer, and the heap
        // is small (README "Capacity").
        kahaDb.setIndexCacheSize(2000);
        broker.setPersistenceAdapter(kahaDb);
        broker.setPersistent(true);
        // ActiveMQ's default memory limit is 1 GB (cut to 70% of the heap): far too much inside the node's own JVM.
        broker.getSystemUsage().getMemoryUsage().setLimit(properties.memoryLimit().toBytes());
        broker.getSystemUsage().getStoreUsage().setLimit(properties.storeLimit().toBytes());
        broker.getSystemUsage().getTempUsage().setLimit(properties.tempLimit().toBytes());
        // Every message here is persistent, so it is in the store before it is anywhere else. With flow control,
        // a consumer that falls behind (the alert mailer during an event storm, an ESB that is down) would block
        // every producer once the memory limit is reached, and webhooks would wait for the commit timeout and go
        // to the spool. Without it, the queues keep only what fits in memory and read the rest from disk.
        PolicyEntry persistentQueues = new PolicyEntry();
        persistentQueues.setProducerFlowControl(false);
        PolicyMap policies = new PolicyMap();
        policies.setDefaultEntry(persistentQueues);
        policies.setPolicyEntries(List.of(decisionsDroppedWhenExpired()));
        broker.setDestinationPolicy(policies);
        // A full store fails the send at once (the node spools, then answers 503) instead of blocking it.
        broker.getSystemUsage().setSendFailIfNoSpace(true);
        broker.setPlugins(EmbeddedBrokerAuthentication.plugins(properties, passwordGenerated));
        broker.addConnector("vm://" + BROKER_NAME);
        if (properties.connector() != null && !properties.connector().isBlank()) {
            broker.addConnector(properties.connector());
        }
        broker.start();
        broker.waitUntilStarted();
        for (TransportConnector connector : broker.getTransportConnectors()) {
            URI uri = connector.getPublishableConnectURI();
            if (!"vm".equals(uri.getScheme())) {
                LOG.info("In-process ActiveMQ broker (store {}) accepts OpenWire clients at {}",
                        properties.dataDirectory().toAbsolutePath(), uri);
            }
        }
        return broker;
    }
}
