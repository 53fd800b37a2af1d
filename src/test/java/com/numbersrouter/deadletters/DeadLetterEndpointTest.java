package com.numbersrouter.deadletters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.numbersrouter.support.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Replaying a dead letter against a real broker, with the Camel side stubbed: a replay that cannot resend leaves the
 * message where it was, and a resend carries everything an ESB selects on. ({@code DeadLetterReplayEndToEndTest}
 * replays through a whole node.)
 */
class DeadLetterEndpointTest {

    private static final String DLQ = "DLQ.bandwidth.orders";
    private static final String TARGET = "jms:queue:bandwidth.orders";

    private final TestBroker broker = TestBroker.start("dead-letter-endpoint-broker");
    private final CamelContext camelContext = new DefaultCamelContext();
    private final ProducerTemplate camel = mock(ProducerTemplate.class);
    private final List<Exchange> resent = new ArrayList<>();
    private final DeadLetterEndpoint endpoint = new DeadLetterEndpoint(new ActiveMQConnectionFactory(broker.url()),
            camel, Map.of(DLQ, TARGET), new NodeQueues(Set.of()));

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    @Test
    void aReplayThatCannotResendLeavesTheMessageOnItsDeadLetterQueue() throws Exception {
        deadLetter("<Notification>order-1</Notification>");
        when(camel.send(anyString(), any(Processor.class))).thenAnswer(invocation -> {
            Exchange failed = new DefaultExchange(camelContext);
            failed.setException(new IllegalStateException("group commit timed out"));
            return failed;
        });

        assertThatThrownBy(() -> endpoint.replay(DLQ, null)).hasMessageContaining("group commit timed out");

        assertThat(endpoint.list().get(DLQ).messages()).hasSize(1);
        assertThat(((TextMessage) broker.receive(DLQ)).getText()).isEqualTo("<Notification>order-1</Notification>");
    }

    @Test
    void aResendCarriesTheNotificationsPropertiesAndCorrelationIdButNotTheDeadLetterOnes() throws Exception {
        deadLetter("<Notification>order-1</Notification>");
        when(camel.send(anyString(), any(Processor.class))).thenAnswer(invocation -> {
            Exchange exchange = new DefaultExchange(camelContext);
            ((Processor) invocation.getArgument(1)).process(exchange);
            resent.add(exchange);
            return exchange;
        });

        assertThat(endpoint.replay(DLQ, null)).containsEntry("replayed", 1);

        Map<String, Object> headers = new LinkedHashMap<>(resent.get(0).getMessage().getHeaders());
        assertThat(headers).containsEntry("OrderId", "ddbdbfb9-2a58-4f7b-a1d8-bd5ac4a4b3d1")
                .containsEntry("CustomerOrderId", "crm-7")
                .containsEntry("TelephoneNumberCount", 2)
                .containsEntry("JMSCorrelationID", "ddbdbfb9-2a58-4f7b-a1d8-bd5ac4a4b3d1")
                .doesNotContainKeys("DeadLetterReason", "DeadLetterAttempts");
        assertThat(headers.keySet()).noneMatch(name -> name.startsWith("JMSX"));
        assertThat(resent.get(0).getMessage().getBody()).isEqualTo("<Notification>order-1</Notification>");
        assertThat(endpoint.list().get(DLQ).messages()).isEmpty();
    }

    @Test
    void aMessageThatIsNeitherTextNorBytesIsSkippedAndLeftWhereItIsWhileTheOthersAreReplayed() throws Exception {
        deadLetter("<Notification>order-1</Notification>");
        List<String> notReplayable = new ArrayList<>();
        try (Connection connection = new ActiveMQConnectionFactory(broker.url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MapMessage map = session.createMapMessage();
            map.setString("OrderId", "map-1");
            for (Message message : List.of(map, session.createObjectMessage("object-1"), session.createStreamMessage())) {
                session.createProducer(session.createQueue(DLQ)).send(message);
                notReplayable.add(message.getJMSMessageID());
            }
        }
        deadLetter("<Notification>order-2</Notification>");
        when(camel.send(anyString(), any(Processor.class))).thenAnswer(invocation -> {
            Exchange exchange = new DefaultExchange(camelContext);
            ((Processor) invocation.getArgument(1)).process(exchange);
            resent.add(exchange);
            return exchange;
        });

        Map<String, Object> result = endpoint.replay(DLQ, null);

        assertThat(result).containsEntry("replayed", 2);
        assertThat(result.get("skipped").toString()).contains(notReplayable).contains("MapMessage", "ObjectMessage",
                "StreamMessage");
        assertThat(resent).extracting(exchange -> exchange.getMessage().getBody())
                .containsExactly("<Notification>order-1</Notification>", "<Notification>order-2</Notification>");
        assertThat(endpoint.list().get(DLQ).messages()).extracting(message -> message.get("messageId"))
                .containsExactlyElementsOf(notReplayable);
        // left where they were: never taken and put back (which would count as a failed delivery)
        List<Message> left = broker.drain(DLQ);
        assertThat(left).extracting(Message::getJMSMessageID).containsExactlyElementsOf(notReplayable);
        assertThat(left).extracting(Message::getJMSRedelivered).containsOnly(false);
        assertThat(((MapMessage) left.get(0)).getString("OrderId")).isEqualTo("map-1");
    }

    private void deadLetter(String xml) throws JMSException {
        try (Connection connection = new ActiveMQConnectionFactory(broker.url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage message = session.createTextMessage(xml);
            message.setStringProperty("OrderId", "ddbdbfb9-2a58-4f7b-a1d8-bd5ac4a4b3d1");
            message.setStringProperty("CustomerOrderId", "crm-7");
            message.setIntProperty("TelephoneNumberCount", 2);
            message.setJMSCorrelationID("ddbdbfb9-2a58-4f7b-a1d8-bd5ac4a4b3d1");
            message.setStringProperty("DeadLetterReason", "ESB refused it");
            message.setIntProperty("DeadLetterAttempts", 3);
            session.createProducer(session.createQueue(DLQ)).send(message);
        }
    }
}
