package com.numbersrouter.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.broker.GroupCommitProperties;
import com.numbersrouter.support.TempFolders;
import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool's forwarder against a real broker: files go in batches that share one broker transaction, in arrival
 * order, and a file leaves the spool only once its transaction is committed. The route here stands in for
 * routes/spool.camel.yaml: the order's id as a header, the group-commit step, and a failure after it for "poison".
 */
class NotificationSpoolTest {

    private static final String QUEUE = "spool.forward.test";
    private static final String ROUTE = "direct:spooled-notification";

    private final TestBroker broker = TestBroker.start("spool-forward-broker");
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Path directory = TempFolders.create("numbers-router-spool-test");
    private BrokerGroupCommit groupCommit;

    @AfterEach
    void stop() throws Exception {
        if (groupCommit != null) {
            groupCommit.destroy();
        }
        camel.stop();
        broker.stop();
    }

    @Test
    void filesBeyondOneTransactionGoInSeveralAllInArrivalOrder() throws Exception {
        NotificationSpool spool = spool(3);
        for (int n = 1; n <= 7; n++) {
            store(spool, "order-" + n);
        }

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(7);

        assertThat(broker.awaitProperty(QUEUE, "OrderId", 7))
                .containsExactly("order-1", "order-2", "order-3", "order-4", "order-5", "order-6", "order-7");
        assertThat(meters.get("numbers.router.broker.commit.size").summary().count()).as("transactions").isEqualTo(3);
        assertThat(spool.isEmpty()).isTrue();
        assertThat(spooledFiles()).isEmpty();
    }

    @Test
    void aFileWhoseRouteFailsAfterItsSendStaysAndNothingOfItOrAfterItReachesTheBroker() throws Exception {
        NotificationSpool spool = spool(256);
        store(spool, "order-1");
        store(spool, "order-2");
        store(spool, "poison");
        store(spool, "order-4");

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(2);

        assertThat(broker.awaitProperty(QUEUE, "OrderId", 2)).containsExactly("order-1", "order-2");
        assertThat(broker.receive(QUEUE, null, 500)).as("the failed file's message, or one after it").isNull();
        assertThat(spool.depth()).isEqualTo(2);
        assertThat(spooledFiles()).hasSize(2);
    }

    @Test
    void aBrokerThatIsGoneKeepsEveryFile() throws Exception {
        NotificationSpool spool = spool(256);
        store(spool, "order-1");
        store(spool, "order-2");
        broker.stop();

        assertThat(spool.forwardTo(ROUTE)).isZero();

        assertThat(spool.depth()).isEqualTo(2);
        assertThat(spooledFiles()).hasSize(2);
    }

    /** The how-to's second destination: each notification is two messages, and a batch must not split them. */
    @Test
    void aNotificationsSendsToSeveralDestinationsAreNeverSplitOverTwoTransactions() throws Exception {
        // five messages a transaction: a second notification (three more) must wait for the next one
        NotificationSpool spool = spool(5, new RouteBuilder() {
            @Override
            public void configure() {
                from(ROUTE)
                        .setHeader("OrderId", bodyAs(String.class))
                        .to("jms-group-commit:queue:" + QUEUE)
                        .to("jms-group-commit:topic:esb.orders")
                        .to("jms-group-commit:queue:" + QUEUE + ".copy");
            }
        }, broker.url());
        for (int n = 1; n <= 3; n++) {
            store(spool, "order-" + n);
        }

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(3);

        var sizes = meters.get("numbers.router.broker.commit.size").summary();
        assertThat(sizes.count()).as("one transaction per notification: a second would not fit beside it").isEqualTo(3);
        assertThat(sizes.max()).isEqualTo(3);
        assertThat(broker.awaitProperty(QUEUE + ".copy", "OrderId", 3)).containsExactly("order-1", "order-2", "order-3");
        assertThat(spool.isEmpty()).isTrue();
    }

    /**
     * A file whose route sends nothing through the batch (the unclassified queue's plain send) is done when its route
     * returns: kept until the batch commits, it went to that queue again on every round the broker refused the batch.
     */
    @Test
    void aFileSentOutsideTheBatchIsNotSentAgainWhenTheBatchFails() throws Exception {
        int nothingListens = com.numbersrouter.support.FreePort.find();
        NotificationSpool spool = spool(256, new RouteBuilder() {
            @Override
            public void configure() {
                from(ROUTE)
                        .setHeader("OrderId", bodyAs(String.class))
                        .choice()
                            .when(body().startsWith("plain"))
                                .to(ExchangePattern.InOnly, "jms:queue:" + QUEUE + ".plain")
                            .otherwise()
                                .to("jms-group-commit:queue:" + QUEUE);
            }
        }, "tcp://127.0.0.1:" + nothingListens + "?jms.sendTimeout=1000");
        store(spool, "order-1");
        store(spool, "plain-2");
        store(spool, "order-3");

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(1);
        assertThat(spool.forwardTo(ROUTE)).isZero();

        assertThat(broker.awaitProperty(QUEUE + ".plain", "OrderId", 1)).containsExactly("plain-2");
        assertThat(broker.receive(QUEUE + ".plain", null, 300)).as("sent once").isNull();
        assertThat(spool.depth()).isEqualTo(2);
    }

    /** A file the forwarder cannot read no longer holds every notification behind it: it is set aside, kept. */
    @Test
    void anUnreadableFileIsSetAsideAndTheOthersGoOn() throws Exception {
        // a folder where a spooled file should be, oldest of all: reading it fails, whoever runs the node (root
        // reads any file)
        Path unreadable = java.nio.file.Files.createDirectory(directory.resolve("0000000000002-000000000000.xml"));
        java.nio.file.Files.writeString(unreadable.resolve("inside"), "kept");
        NotificationSpool spool = spool(256);
        store(spool, "order-1");
        store(spool, "order-2");

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(2);

        assertThat(broker.awaitProperty(QUEUE, "OrderId", 2)).containsExactly("order-1", "order-2");
        assertThat(spool.isEmpty()).isTrue();
        assertThat(spooledFiles()).isEmpty();
        assertThat(directory.resolve("unreadable").resolve(unreadable.getFileName()).resolve("inside")).hasContent("kept");
        assertThat(spool.unreadable()).isEqualTo(1);
        assertThat(new SpoolHealthIndicator(spool).health().getStatus()).isEqualTo(SpoolHealthIndicator.DEGRADED);
        assertThat(new SpoolHealthIndicator(spool).health().getDetails()).containsEntry("unreadable", 1L);
        // and the metric the NumbersRouterSpoolUnreadable alert reads, as the node registers it
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (com.numbersrouter.infra.DataFolderLock lock =
                com.numbersrouter.infra.DataFolderLock.take(directory, "spool")) {
            new SpoolConfiguration().notificationSpool(new SpoolProperties(directory, 100, Duration.ofHours(1)),
                    registry, camel.createProducerTemplate(), groupCommit, lock);
        }
        assertThat(registry.get("numbers.router.spool.unreadable").gauge().value()).isEqualTo(1.0);
    }

    /** A file not named by the spool (copied in by hand) is forwarded in its place, and the health can still say when. */
    @Test
    void aFileNamedByHandIsForwardedWithTheOthers() throws Exception {
        java.nio.file.Files.writeString(directory.resolve("copied-from-node-2.xml"), "order-by-hand");
        NotificationSpool spool = spool(256);
        store(spool, "order-1");

        assertThat(spool.oldest()).isNotNull();
        assertThat(spool.forwardTo(ROUTE)).isEqualTo(2);
        assertThat(broker.awaitProperty(QUEUE, "OrderId", 2)).containsExactly("order-1", "order-by-hand");
    }

    /**
     * The broker has it, the disk will not delete it: not sent again at every round (before, the forwarder stopped
     * there and the next round stored it and the rest of its batch a second time), deleted once the disk lets it.
     */
    @Test
    void aForwardedFileTheDiskWillNotDeleteIsNotSentAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean diskRefuses = new java.util.concurrent.atomic.AtomicBoolean(true);
        spool(256);
        NotificationSpool spool = new NotificationSpool(new SpoolProperties(directory, 100, Duration.ofHours(1)),
                camel.createProducerTemplate(), groupCommit) {
            @Override
            void deleteFile(Path file) throws java.io.IOException {
                if (diskRefuses.get() && file.getFileName().toString().contains("-000000000002")) {
                    throw new java.nio.file.AccessDeniedException(file.toString());
                }
                super.deleteFile(file);
            }
        };
        for (int n = 1; n <= 3; n++) {
            store(spool, "order-" + n);
        }

        assertThat(spool.forwardTo(ROUTE)).isEqualTo(3);
        assertThat(spool.forwardTo(ROUTE)).isZero();

        assertThat(broker.awaitProperty(QUEUE, "OrderId", 3)).containsExactly("order-1", "order-2", "order-3");
        assertThat(broker.receive(QUEUE, null, 500)).as("nothing sent twice").isNull();
        assertThat(spool.isEmpty()).isTrue();
        assertThat(spooledFiles()).hasSize(1);
        diskRefuses.set(false);
        assertThat(spool.forwardTo(ROUTE)).isZero();
        assertThat(spooledFiles()).isEmpty();
    }

    /**
     * Files put into the folder or taken out of it by hand (one moved back from unreadable/, one deleted) do not leave
     * the count wrong: intake decides from it whether the spool is in use, and a notification must not overtake one
     * that waits in the folder.
     */
    @Test
    void theCountFollowsTheFolderWhateverWasDoneByHand() throws Exception {
        NotificationSpool spool = spool(256);
        store(spool, "order-1");
        store(spool, "order-2");
        java.nio.file.Files.writeString(directory.resolve("0000000000001-000000000000.xml"), "order-by-hand");
        assertThat(spool.forwardTo(ROUTE)).isEqualTo(3);
        assertThat(broker.awaitProperty(QUEUE, "OrderId", 3)).containsExactly("order-by-hand", "order-1", "order-2");

        store(spool, "order-3");
        assertThat(spool.isEmpty()).as("order-3 waits in the folder").isFalse();
        assertThat(spool.depth()).isEqualTo(1);

        try (var files = java.nio.file.Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(NotificationSpool.SUFFIX)).toList()) {
                java.nio.file.Files.delete(file); // an operator's clean-up
            }
        }
        assertThat(spool.forwardTo(ROUTE)).isZero();
        assertThat(spool.isEmpty()).as("nothing left in the folder").isTrue();
    }

    /**
     * A notification counts as spooled from the moment its write begins, not once it is forced and renamed: the
     * forwarder may empty the folder meanwhile, and one that comes after it must still queue behind it.
     */
    @Test
    void aNotificationBeingWrittenCountsAsSpooledAlready() throws Exception {
        NotificationSpool spool = spool(256);
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch mayWrite = new java.util.concurrent.CountDownLatch(1);
        DefaultExchange held = new DefaultExchange(camel);
        // a body still arriving: the write's first step, reading it, waits until the test lets it go
        held.getMessage().setBody(new java.io.ByteArrayInputStream("order-1".getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                writing.countDown();
                try {
                    mayWrite.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.read(buffer, offset, length);
            }
        });
        java.util.concurrent.CompletableFuture<Void> store = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                spool.store(held);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            assertThat(writing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(spool.forwardTo(ROUTE)).as("nothing on disk yet").isZero();
            assertThat(spool.isEmpty()).as("being written").isFalse();
        } finally {
            mayWrite.countDown();
        }
        store.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(spool.depth()).isEqualTo(1);
    }

    /** A folder that cannot be listed (a disk gone) pauses the forwarder, without throwing at its timer every second. */
    @Test
    void aSpoolFolderThatCannotBeListedPausesForwardingUntilItCan() throws Exception {
        NotificationSpool spool = spool(256);
        store(spool, "order-1");
        Path away = directory.resolveSibling(directory.getFileName() + "-away");
        java.nio.file.Files.move(directory, away);
        try {
            assertThat(spool.forwardTo(ROUTE)).isZero();
            assertThat(spool.forwardTo(ROUTE)).isZero();
        } finally {
            java.nio.file.Files.move(away, directory);
        }
        assertThat(spool.forwardTo(ROUTE)).isEqualTo(1);
        assertThat(broker.awaitProperty(QUEUE, "OrderId", 1)).containsExactly("order-1");
    }

    /**
     * A broker whose commit outlasts the group-commit timeout (a big transaction on a slow disk): before, the files
     * stayed although their messages were stored a moment later, and the next round sent them again, and again at
     * every round while each commit outlasted the timeout. Now the forwarder waits one more timeout for the commit
     * to end, and deletes what it stored. The broker's slowness is what this test is about, so it sleeps on purpose.
     */
    @Test
    void aCommitThatEndsJustAfterTheTimeoutIsNotSentAgain() throws Exception {
        TestBroker slow = TestBroker.start("spool-slow-commit-broker", next -> new org.apache.activemq.broker.BrokerFilter(next) {
            @Override
            public void commitTransaction(org.apache.activemq.broker.ConnectionContext context,
                    org.apache.activemq.command.TransactionId xid, boolean onePhase) throws Exception {
                Thread.sleep(3_000); // a slow disk: 3 s, past the 2 s timeout, within the 2 s after it
                super.commitTransaction(context, xid, onePhase);
            }
        });
        try {
            NotificationSpool spool = spool(256, new RouteBuilder() {
                @Override
                public void configure() {
                    from(ROUTE).setHeader("OrderId", bodyAs(String.class)).to("jms-group-commit:queue:" + QUEUE);
                }
            }, slow.url(), Duration.ofSeconds(2));
            for (int n = 1; n <= 3; n++) {
                store(spool, "order-" + n);
            }

            assertThat(spool.forwardTo(ROUTE)).isEqualTo(3);

            assertThat(spooledFiles()).isEmpty();
            assertThat(slow.awaitProperty(QUEUE, "OrderId", 3)).containsExactly("order-1", "order-2", "order-3");
            assertThat(slow.queueSize(QUEUE)).as("none sent twice").isZero();
        } finally {
            slow.stop();
        }
    }

    private NotificationSpool spool(int maxMessages) throws Exception {
        return spool(maxMessages, new RouteBuilder() {
            @Override
            public void configure() {
                from(ROUTE)
                        .setHeader("OrderId", bodyAs(String.class))
                        .to("jms-group-commit:queue:" + QUEUE)
                        .filter(body().isEqualTo("poison"))
                            .throwException(new IllegalStateException("fails after its send"));
            }
        }, broker.url());
    }

    private NotificationSpool spool(int maxMessages, RouteBuilder route, String groupCommitUrl) throws Exception {
        return spool(maxMessages, route, groupCommitUrl, Duration.ofSeconds(5));
    }

    /** @param groupCommitUrl the broker the group commit sends to (the route's plain jms: sends go to the test broker) */
    private NotificationSpool spool(int maxMessages, RouteBuilder route, String groupCommitUrl, Duration timeout)
            throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
        camel.addComponent("jms", JmsComponent.jmsComponent(factory));
        camel.addRoutes(route);
        camel.start();
        groupCommit = new BrokerGroupCommit(new ActiveMQConnectionFactory(groupCommitUrl), camel,
                new GroupCommitProperties(maxMessages, 1, timeout), meters);
        return new NotificationSpool(new SpoolProperties(directory, 100, Duration.ofHours(1)),
                camel.createProducerTemplate(), groupCommit);
    }

    private void store(NotificationSpool spool, String body) throws Exception {
        DefaultExchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        spool.store(exchange);
    }

    private List<Path> spooledFiles() throws Exception {
        try (var files = java.nio.file.Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(NotificationSpool.SUFFIX)).toList();
        }
    }
}
