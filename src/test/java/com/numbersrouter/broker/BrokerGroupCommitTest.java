package com.numbersrouter.broker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group commit against a real broker: webhooks that arrive while a transaction commits share the next one, each is
 * released only by the commit that holds its message, and a webhook that gave up before its message was taken never
 * has it sent. The first commit is held on a latch, so which messages share a transaction is decided by the test,
 * not by thread scheduling.
 */
class BrokerGroupCommitTest {

    private static final String QUEUE = "group.commit.test";

    private final TestBroker broker = TestBroker.start("group-commit-broker");
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch firstCommitMayReturn = new CountDownLatch(1);
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);
    private final ExecutorService webhooks = Executors.newFixedThreadPool(24);
    private BrokerGroupCommit groupCommit;
    /** Thrown by the next transaction commit instead of committing, once. */
    private volatile Error nextCommitThrows;

    @BeforeEach
    void start() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
        camel.addComponent("jms", JmsComponent.jmsComponent(factory));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        firstCommitMayReturn.countDown();
        webhooks.shutdownNow();
        if (groupCommit != null) {
            groupCommit.destroy();
        }
        camel.stop();
        broker.stop();
    }

    @Test
    void webhooksThatArriveDuringACommitShareTheNextTransactionAndEachMessageKeepsItsProperties() throws Exception {
        groupCommit = groupCommit(Duration.ofSeconds(10));
        CompletableFuture<Void> first = send("order-0");
        assertThat(firstCommitStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> next = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            next.add(send("order-" + i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> groupCommit.waiting() == 20);
        assertThat(first).isNotDone(); // not answered before its commit returns

        firstCommitMayReturn.countDown();
        first.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(next.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        assertThat(meters.get("numbers.router.broker.commit.size").summary().count()).isEqualTo(2);
        assertThat(meters.get("numbers.router.broker.commit.size").summary().max()).isEqualTo(20);
        Set<String> orderIds = new HashSet<>();
        for (int i = 0; i <= 20; i++) {
            Message message = broker.receive(QUEUE);
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(message.getJMSCorrelationID()).isEqualTo(message.getStringProperty("OrderId"));
            assertThat(((TextMessage) message).getText()).isEqualTo("<Notification>" + message.getJMSCorrelationID() + "</Notification>");
            orderIds.add(message.getStringProperty("OrderId"));
        }
        assertThat(orderIds).hasSize(21);
    }

    @Test
    void aBatchGatheredThroughTheRouteStepIsSentOnlyAtItsCommitAndInOneTransaction() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(10));
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        ProducerTemplate template = camel.createProducerTemplate();
        for (int i = 1; i <= 10; i++) {
            String decision = "decision-" + i;
            Exchange done = template.send("jms-group-commit:queue:" + QUEUE, exchange -> {
                exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
                exchange.getMessage().setBody(decision);
                exchange.getMessage().setHeader("PON", decision);
            });
            assertThat(done.getException()).isNull();
        }
        assertThat(batch.size()).isEqualTo(10);
        assertThat(broker.receive(QUEUE, null, 300)).as("nothing sent before the commit").isNull();

        batch.commit();

        assertThat(meters.get("numbers.router.broker.commit.size").summary().count()).isEqualTo(1);
        assertThat(meters.get("numbers.router.broker.commit.size").summary().max()).isEqualTo(10);
        assertThat(broker.awaitProperty(QUEUE, "PON", 10)).containsExactly("decision-1", "decision-2", "decision-3",
                "decision-4", "decision-5", "decision-6", "decision-7", "decision-8", "decision-9", "decision-10");
    }

    @Test
    void aStepWithATimeToLiveSendsMessagesThatExpireAndOrdersNever() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(10));
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        Exchange done = camel.createProducerTemplate().send("jms-group-commit:queue:" + QUEUE + "?timeToLive=7d",
                exchange -> {
                    exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
                    exchange.getMessage().setBody("decision");
                });
        assertThat(done.getException()).isNull();
        batch.commit();
        Message decision = broker.receive(QUEUE);
        assertThat(decision.getJMSExpiration() - decision.getJMSTimestamp()).isEqualTo(Duration.ofDays(7).toMillis());

        send("order-1").get(10, TimeUnit.SECONDS);
        assertThat(broker.receive(QUEUE).getJMSExpiration()).as("an order never expires").isZero();
    }

    @Test
    void aBatchSendsEachMessageAsItsStepSawItNotAsLaterStepsLeftIt() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(10));
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        Exchange done = camel.createProducerTemplate().send("jms-group-commit:queue:" + QUEUE, exchange -> {
            exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
            exchange.getMessage().setBody("<Notification>as sent</Notification>");
            exchange.getMessage().setHeader("OrderId", "order-1");
        });
        // what a route does after the step, before the batch is committed (an HTTP answer, another destination)
        done.getMessage().setBody("");
        done.getMessage().removeHeaders("*");

        batch.commit();

        TextMessage message = (TextMessage) broker.receive(QUEUE);
        assertThat(message.getText()).isEqualTo("<Notification>as sent</Notification>");
        assertThat(message.getStringProperty("OrderId")).isEqualTo("order-1");
    }

    /**
     * A batch is queued one message at a time, and the committer may wake at the first. Before a batch was queued and
     * gathered whole, a full batch went out in two transactions in 12 runs of 20 (and a batch of 10 in 7 of 150), so
     * a few repetitions catch that race reliably.
     */
    @RepeatedTest(5)
    void aFullBatchGoesInOneTransaction() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(10));
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        ProducerTemplate template = camel.createProducerTemplate();
        int maxMessages = 256;
        for (int i = 1; i <= maxMessages; i++) {
            String decision = "decision-" + i;
            template.send("jms-group-commit:queue:" + QUEUE, exchange -> {
                exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
                exchange.getMessage().setBody(decision);
            });
        }

        batch.commit();

        assertThat(meters.get("numbers.router.broker.commit.size").summary().count()).isEqualTo(1);
        assertThat(meters.get("numbers.router.broker.commit.size").summary().max()).isEqualTo(maxMessages);
    }

    @Test
    void aBatchOnABrokerThatIsGoneFailsItsCommit() {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(5));
        broker.stop();
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        camel.createProducerTemplate().send("jms-group-commit:queue:" + QUEUE, exchange -> {
            exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
            exchange.getMessage().setBody("decision-lost-broker");
        });

        assertThatThrownBy(batch::commit).isInstanceOf(JMSException.class);
    }

    @Test
    void aWebhookThatGivesUpBeforeItsMessageIsTakenNeverHasItSent() throws Exception {
        groupCommit = groupCommit(Duration.ofMillis(300));
        CompletableFuture<Void> inFlight = send("order-in-flight");
        assertThat(firstCommitStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> queued = send("order-queued");

        // Both give up; the first had been taken (the broker may still store it), the second had not.
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JMSException.class)
                .hasMessageContaining("may still store");
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JMSException.class)
                .hasMessageContaining("not sent");

        firstCommitMayReturn.countDown();
        assertThat(broker.receive(QUEUE).getStringProperty("OrderId")).isEqualTo("order-in-flight");
        assertThat(broker.receive(QUEUE, null, 500)).isNull();
    }

    /**
     * A commit that never returns (an operator's broker blocking the producer, a failover URL without a timeout)
     * must not keep what every later webhook and spool round gave up on: they would fill the heap.
     */
    @Test
    void whatWebhooksAndBatchesGaveUpOnWhileACommitHangsIsNotKept() throws Exception {
        groupCommit = groupCommit(Duration.ofMillis(300));
        CompletableFuture<Void> inFlight = send("order-in-flight");
        assertThat(firstCommitStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            queued.add(send("order-queued-" + i));
        }
        BrokerGroupCommit.Batch batch = groupCommit.batch();
        for (int i = 1; i <= 10; i++) {
            String id = "spooled-" + i;
            camel.createProducerTemplate().send("jms-group-commit:queue:" + QUEUE, exchange -> {
                exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
                exchange.getMessage().setBody(id);
            });
        }
        assertThatThrownBy(batch::commit).isInstanceOf(JMSException.class);
        for (CompletableFuture<Void> webhook : queued) {
            assertThatThrownBy(() -> webhook.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JMSException.class);
        }

        assertThat(groupCommit.waiting()).isZero();
        // the one in the hanging commit gave up too; the committer still holds it (one transaction at most)
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).hasMessageContaining("may still store");
    }

    /** Before, the first transaction after a broker restart failed on the dead connection and went to the spool. */
    @Test
    void theFirstTransactionAfterABrokerRestartGoesOnANewConnection() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(10));
        send("order-before").get(5, TimeUnit.SECONDS);
        assertThat(broker.receive(QUEUE).getStringProperty("OrderId")).isEqualTo("order-before");

        int port = broker.port();
        broker.stop();
        await().atMost(Duration.ofSeconds(10)).until(groupCommit::connectionLossSeen);
        TestBroker restarted = TestBroker.start("group-commit-broker-restarted", port);
        try {
            send("order-after").get(10, TimeUnit.SECONDS);

            assertThat(restarted.receive(QUEUE).getStringProperty("OrderId")).isEqualTo("order-after");
            assertThat(meters.get("numbers.router.broker.commit.failures").counter().count()).isZero();
        } finally {
            restarted.stop();
        }
    }

    /**
     * An Error in one transaction (a stack overflow, direct memory exhausted) fails its notifications, to the spool,
     * and no more: before, it ended the committer thread, and every notification after it waited for its timeout.
     */
    @Test
    void anErrorInOneTransactionFailsItAloneAndTheNextIsCommitted() throws Exception {
        firstCommitMayReturn.countDown();
        nextCommitThrows = new StackOverflowError("in the test's commit");
        groupCommit = groupCommit(Duration.ofSeconds(5));

        assertThatThrownBy(() -> send("order-in-the-error").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(JMSException.class).hasMessageContaining("StackOverflowError");
        send("order-after").get(10, TimeUnit.SECONDS);

        assertThat(broker.receive(QUEUE).getStringProperty("OrderId")).isEqualTo("order-after");
        assertThat(broker.receive(QUEUE, null, 500)).as("the failed transaction's send, rolled back").isNull();
        assertThat(meters.get("numbers.router.broker.commit.failures").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aBrokerThatIsGoneFailsTheWebhookWithAJmsException() {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(5));
        broker.stop();
        assertThatThrownBy(() -> send("order-lost-broker").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(JMSException.class);
        assertThat(meters.get("numbers.router.broker.commit.failures").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aWebhookThatGivesUpWhileItsMessageIsBeingBuiltWaitsUntilTheCommitterLetsGoOfItsExchange() throws Exception {
        firstCommitMayReturn.countDown();
        groupCommit = groupCommit(Duration.ofSeconds(2));
        CountDownLatch bodyMayBeRead = new CountDownLatch(1);
        Exchange exchange = new DefaultExchange(camel);
        String xml = "<Notification>slow</Notification>";
        exchange.getMessage().setBody(new CharSequence() {
            @Override
            public String toString() {
                try {
                    bodyMayBeRead.await(); // the committer is inside camel-jms's message building
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return xml;
            }

            @Override
            public int length() {
                return xml.length();
            }

            @Override
            public char charAt(int index) {
                return xml.charAt(index);
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                return xml.subSequence(start, end);
            }
        });
        CompletableFuture<Void> webhook = CompletableFuture.runAsync(() -> {
            try {
                groupCommit.send(exchange, "queue:" + QUEUE);
            } catch (JMSException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, webhooks);

        // past its 2 s timeout, the webhook does not go on with an exchange the committer is reading (it waits for
        // the committer up to one more timeout, so until 4 s: the window leaves a loaded machine 1.5 s to look)
        await().during(Duration.ofMillis(2300)).atMost(Duration.ofMillis(3800)).until(() -> !webhook.isDone());
        bodyMayBeRead.countDown();
        assertThatThrownBy(() -> webhook.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JMSException.class)
                .hasMessageContaining("may still store");
    }

    private BrokerGroupCommit groupCommit(Duration timeout) {
        ActiveMQConnectionFactory target = new ActiveMQConnectionFactory(broker.url());
        // fail fast once the broker is gone, instead of ActiveMQ's default of waiting to reconnect
        target.setSendTimeout(2000);
        return new BrokerGroupCommit(firstCommitHeld(target), camel, new GroupCommitProperties(256, 1, timeout), meters);
    }

    private CompletableFuture<Void> send(String orderId) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody("<Notification>" + orderId + "</Notification>");
        exchange.getMessage().setHeader("OrderId", orderId);
        exchange.getMessage().setHeader("JMSCorrelationID", orderId);
        return CompletableFuture.runAsync(() -> {
            try {
                groupCommit.send(exchange, "queue:" + QUEUE);
            } catch (JMSException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, webhooks);
    }

    /** A connection factory whose first transaction commit waits on {@link #firstCommitMayReturn}. */
    private ConnectionFactory firstCommitHeld(ConnectionFactory target) {
        return proxy(ConnectionFactory.class, target, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? heldConnection(connection) : result;
        });
    }

    private Connection heldConnection(Connection connection) {
        return proxy(Connection.class, connection, (proxy, method, args) -> {
            Object result = invoke(connection, method, args);
            return result instanceof Session session ? heldSession(session) : result;
        });
    }

    private Session heldSession(Session session) {
        return proxy(Session.class, session, (proxy, method, args) -> {
            Error error = nextCommitThrows;
            if (method.getName().equals("commit") && error != null) {
                nextCommitThrows = null;
                throw error;
            }
            if (method.getName().equals("commit") && firstCommitStarted.getCount() > 0) {
                firstCommitStarted.countDown();
                firstCommitMayReturn.await();
            }
            return invoke(session, method, args);
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
