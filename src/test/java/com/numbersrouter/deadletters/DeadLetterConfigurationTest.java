package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.List;

import com.numbersrouter.support.TestBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Which queue is the broker's dead-letter queue, and which messages on it are the node's, both from the node's
 * configuration (the shipped application.yaml, and what an operator sets over it).
 */
class DeadLetterConfigurationTest {

    private final TestBroker broker = TestBroker.start("dead-letter-configuration-broker");
    private final ActiveMQConnectionFactory client = new ActiveMQConnectionFactory(broker.url());
    private final ApplicationContextRunner node = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withBean(ConnectionFactory.class, () -> client)
            .withBean(ProducerTemplate.class, () -> mock(ProducerTemplate.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withUserConfiguration(DeadLetterConfiguration.class);

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    @Test
    void theBrokersDeadLetterQueueIsActiveMqsUnlessAnotherIsConfigured() throws Exception {
        String ours = BrokerDeadLetters.put(client, "DLQ", new ActiveMQQueue("bandwidth.orders"), "<Notification/>");

        node.run(context -> assertThat(context.getBean(DeadLetterEndpoint.class).list())
                .containsKey("ActiveMQ.DLQ").doesNotContainKey("DLQ"));
        node.withPropertyValues("numbers-router.dead-letters.broker-queue=DLQ").run(context -> {
            DeadLetterEndpoint endpoint = context.getBean(DeadLetterEndpoint.class);
            assertThat(endpoint.list()).doesNotContainKey("ActiveMQ.DLQ");
            assertThat(endpoint.list().get("DLQ").messages()).extracting(message -> message.get("messageId"))
                    .containsExactly(ours);
        });
    }

    @Test
    void theNodesQueuesAreTheOnesItIsConfiguredWith() throws Exception {
        List<String> configured = List.of("acme.orders", "bandwidth.events", "bandwidth.events.digest",
                "bandwidth.unclassified", "bandwidth.portout.decisions", "DLQ.bandwidth.events");
        for (String queue : configured) {
            BrokerDeadLetters.put(client, "ActiveMQ.DLQ", new ActiveMQQueue(queue), "<Notification/>");
        }
        // the default orders queue, which this node is configured not to use: another application's now
        BrokerDeadLetters.put(client, "ActiveMQ.DLQ", new ActiveMQQueue("bandwidth.orders"), "<Notification/>");

        // a queue an edited route consumes (the orders-second-destination how-to), named by the operator
        BrokerDeadLetters.put(client, "ActiveMQ.DLQ", new ActiveMQQueue("bandwidth.orders.crm"), "<Notification/>");

        node.withPropertyValues("numbers-router.orders.queue=acme.orders",
                "numbers-router.dead-letters.route-queues=bandwidth.orders.crm, crm.retry").run(context -> {
            DeadLetterEndpoint.Listing listed = context.getBean(DeadLetterEndpoint.class).list().get("ActiveMQ.DLQ");
            assertThat(listed.messages()).extracting(message -> message.get("originalDestination"))
                    .containsExactlyElementsOf(java.util.stream.Stream.concat(configured.stream(),
                            java.util.stream.Stream.of("bandwidth.orders.crm")).map(queue -> "queue://" + queue).toList());
            assertThat(listed.otherApplications()).isEqualTo(1);
        });
    }

    /**
     * A broker with a dead-letter queue per destination (ActiveMQ's individualDeadLetterStrategy): an order an ESB
     * kept failing to take lands in the orders' own dead-letter queue, which the node lists and counts once named.
     */
    @Test
    void aBrokerWithADeadLetterQueuePerDestinationIsReadFromEveryNamedQueue() throws Exception {
        String order = BrokerDeadLetters.put(client, "ActiveMQ.DLQ.Queue.bandwidth.orders",
                new ActiveMQQueue("bandwidth.orders"), "<Notification/>");
        String event = BrokerDeadLetters.put(client, "ActiveMQ.DLQ.Queue.bandwidth.events",
                new ActiveMQQueue("bandwidth.events"), "<Notification/>");

        node.withPropertyValues("numbers-router.dead-letters.count-interval=100ms",
                "numbers-router.dead-letters.broker-queue="
                        + "ActiveMQ.DLQ.Queue.bandwidth.orders, ActiveMQ.DLQ.Queue.bandwidth.events").run(context -> {
            var listed = context.getBean(DeadLetterEndpoint.class).list();
            assertThat(listed).doesNotContainKey("ActiveMQ.DLQ");
            assertThat(listed.get("ActiveMQ.DLQ.Queue.bandwidth.orders").messages())
                    .extracting(message -> message.get("messageId")).containsExactly(order);
            assertThat(listed.get("ActiveMQ.DLQ.Queue.bandwidth.events").messages())
                    .extracting(message -> message.get("messageId")).containsExactly(event);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String queue : List.of("ActiveMQ.DLQ.Queue.bandwidth.orders", "ActiveMQ.DLQ.Queue.bandwidth.events")) {
                    assertThat(meters.get("numbers.router.dead.letters").tag("queue", queue).gauge().value())
                            .as(queue).isEqualTo(1.0);
                }
            });
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"DLQ.bandwidth.events", "bandwidth.orders", "bandwidth.orders.crm"})
    void aBrokerDeadLetterQueueThatIsOneOfTheNodesOwnStopsTheStart(String queue) {
        node.withPropertyValues("numbers-router.dead-letters.broker-queue=ActiveMQ.DLQ, " + queue,
                        "numbers-router.dead-letters.route-queues=bandwidth.orders.crm")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessage("numbers-router.dead-letters.broker-queue names " + queue + ", which is one"
                                + " of the node's own queues"));
    }
}
