package com.numbersrouter.orders;

import java.net.http.HttpResponse;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import com.numbersrouter.support.NodeTest;
import com.numbersrouter.support.Payloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Order notifications over real HTTP (with the 401 challenge) to a real broker, read back over TCP. */
class OrderNotificationEndToEndTest extends NodeTest {

    @BeforeEach
    void emptyQueues() {
        BROKER.drain(ORDERS);
    }

    @Test
    void orderIsQueuedAsReceivedWithSelectableProperties() throws JMSException {
        String xml = Payloads.read("orders/order-complete.xml");

        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth", xml);

        assertThat(response.statusCode()).isEqualTo(200);
        Message message = BROKER.receive(ORDERS);
        assertThat(message).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) message).getText()).isEqualTo(xml);
        assertThat(message.getStringProperty("OrderType")).isEqualTo("orders");
        assertThat(message.getStringProperty("OrderId")).isEqualTo("6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        assertThat(message.getStringProperty("OrderStatus")).isEqualTo("COMPLETE");
        assertThat(message.getStringProperty("SubscriptionId")).isEqualTo("0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33");
        assertThat(message.getStringProperty("LastModifiedDate")).isEqualTo("2025-03-04T14:22:09.117Z");
        assertThat(message.getStringProperty("CustomerOrderId")).isNull();
        assertThat(message.getStringProperty("BandwidthReceivedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        // the node's duplicate key: on every copy of this notification the node might store twice
        assertThat(message.getStringProperty("NotificationKey")).matches("order:[0-9a-f]{64}");
        assertThat(message.getJMSCorrelationID()).isEqualTo("6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        // no message group: with consumers that select (OrderStatus = 'FOC' on one, 'COMPLETE' on another), ActiveMQ
        // would keep an order's later notifications from every consumer but the group's owner
        assertThat(message.getStringProperty("JMSXGroupID")).isNull();
        assertThat(message.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
    }

    /**
     * Every order type and a notified state of each, as Bandwidth's docs list them (case as sent: camelCase for
     * bulkPortins and externalTns, COMPLETED for bulk port-ins, a Message with the import order's): each is stored,
     * with its type and state selectable, whatever the ESB later makes of it.
     */
    @ParameterizedTest
    @CsvSource({
            "portins,REQUESTED_SUPP", "orders,BACKORDERED", "portouts,COMPLETE", "disconnects,PARTIAL",
            "dldas,PROCESSING", "lsrorders,EXCEPTION", "e911s,ADJUSTED_COMPLETE", "tnoptions,FAILED",
            "externalTns,COMPLETE", "lidb,PARTIAL", "bulkPortins,COMPLETED", "bulkPortins,VALID_DRAFT_TNS",
            "importtnorders,EXCEPTION", "removeImportedTnOrders,PROCESSING", "importVoiceTnOrders,PARTIAL",
            "removeImportedVoiceTnOrders,COMPLETE", "csrs,ACTION_REQUIRED", "emergencyNotificationGroup,FAILED",
            "emergencyEndpointGroup,COMPLETE", "tollfreePortingValidations,PROCESSING"})
    void everyDocumentedOrderTypeIsStoredWithItsTypeAndState(String type, String status) throws JMSException {
        String orderId = java.util.UUID.randomUUID().toString();
        String xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Notification><SubscriptionId>0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33</SubscriptionId>\
                <OrderType>%s</OrderType><OrderId>%s</OrderId><Status>%s</Status>\
                <Message>Import TN order processing has started.</Message></Notification>""".formatted(type, orderId, status);

        assertThat(bandwidth().post("/webhooks/bandwidth", xml).statusCode()).isEqualTo(200);

        Message message = BROKER.receive(ORDERS, "OrderId = '" + orderId + "'", 10_000);
        assertThat(message).as("%s %s", type, status).isNotNull();
        assertThat(message.getStringProperty("OrderType")).isEqualTo(type);
        assertThat(message.getStringProperty("OrderStatus")).isEqualTo(status);
        assertThat(((TextMessage) message).getText()).isEqualTo(xml);
    }

    /**
     * Bandwidth's own documented example puts the literal OrderId inside OrderType and has no OrderId element (a doc
     * bug): should a notification like it ever come, it is stored, not lost.
     */
    @Test
    void theDocsBuggyExampleWithoutAnOrderIdIsStoredNotLost() throws JMSException {
        String xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Notification><SubscriptionId>0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33</SubscriptionId>\
                <OrderType>OrderId</OrderType><Status>COMPLETE</Status></Notification>""";

        assertThat(bandwidth().post("/webhooks/bandwidth", xml).statusCode()).isEqualTo(200);

        Message message = BROKER.receive(ORDERS, "OrderType = 'OrderId'", 10_000);
        assertThat(message).isNotNull();
        assertThat(((TextMessage) message).getText()).isEqualTo(xml);
        assertThat(message.propertyExists("OrderId")).isFalse();
    }

    @Test
    void anEsbCanSelectOnOrderTypeAndStatus() throws JMSException {
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("orders/order-complete.xml")).statusCode())
                .isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("orders/portin-foc.xml")).statusCode())
                .isEqualTo(200);

        Message foc = BROKER.receive(ORDERS, "OrderType = 'portins' AND OrderStatus = 'FOC'", 10_000);

        assertThat(foc).isNotNull();
        assertThat(foc.getStringProperty("CustomerOrderId")).isEqualTo("CRM-88412");
        assertThat(foc.getStringProperty("OrderId")).isEqualTo("b8e2f3a4-5c6d-4e7f-9a0b-1c2d3e4f5a6b");
        assertThat(foc.getStringProperty("ActualFocDate")).isEqualTo("2025-03-12T00:00:00Z");
    }

    @Test
    void oneLinePayloadWithUnknownElementsAndE164NumbersIsAccepted() throws JMSException {
        String xml = Payloads.read("orders/one-line-e164.xml");

        assertThat(bandwidth().post("/webhooks/bandwidth", xml).statusCode()).isEqualTo(200);

        TextMessage message = (TextMessage) BROKER.receive(ORDERS);
        assertThat(message.getText()).isEqualTo(xml);
        assertThat(message.getStringProperty("OrderId")).isEqualTo("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
    }

    @Test
    void noteAndFailureNotificationsAreOrdersToo() throws JMSException {
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("orders/note-added.xml")).statusCode()).isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth", Payloads.read("orders/disconnect-failed.xml")).statusCode()).isEqualTo(200);

        Message note = BROKER.receive(ORDERS, "OrderId = 'c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f' AND HasNote = TRUE", 10_000);
        Message failed = BROKER.receive(ORDERS, "OrderType = 'disconnects' AND OrderStatus = 'FAILED' AND HasNote = FALSE",
                10_000);
        assertThat(note).isNotNull();
        assertThat(note.getStringProperty("OrderStatus")).isNull();
        assertThat(failed).isNotNull();
    }

    /**
     * Whether Bandwidth repeats the order's Status in a note notification is not documented: if it does, an ESB that
     * selects status changes with HasNote = FALSE still sees only those; and two different notes on the same order
     * at the same LastModifiedDate are two notifications, both stored.
     */
    @Test
    void aNoteThatRepeatsTheStatusIsANoteAndTwoNotesAreTwo() throws JMSException {
        String first = Payloads.read("orders/note-added.xml").replace("</OrderId>", "</OrderId><Status>FOC</Status>");
        String second = first.replace("Losing carrier requests a corrected LOA signature.", "LOA received, resubmitted.");

        assertThat(bandwidth().post("/webhooks/bandwidth", first).statusCode()).isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth", second).statusCode()).isEqualTo(200);

        List<Message> notes = BROKER.takeExactly(ORDERS, 2);
        assertThat(notes).extracting(note -> ((TextMessage) note).getText()).containsExactly(first, second);
        for (Message note : notes) {
            assertThat(note.getStringProperty("OrderStatus")).isEqualTo("FOC");
            assertThat(note.getBooleanProperty("HasNote")).isTrue();
        }
    }

    @Test
    void theSameNotificationTwiceIsStoredOnceAndBothGet200() throws JMSException {
        String xml = Payloads.read("orders/portin-foc.xml");

        assertThat(bandwidth().post("/webhooks/bandwidth", xml).statusCode()).isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth/orders", xml).statusCode()).isEqualTo(200);

        assertThat(BROKER.takeExactly(ORDERS, 1)).hasSize(1);
    }

    @Test
    void theNextStateOfTheSameOrderIsNotADuplicate() throws JMSException {
        String foc = Payloads.read("orders/portin-foc.xml");
        String complete = foc.replace("<Status>FOC</Status>", "<Status>COMPLETE</Status>")
                .replace("2025-03-05T16:40:12.003Z", "2025-03-12T10:02:55.410Z");

        assertThat(bandwidth().post("/webhooks/bandwidth", foc).statusCode()).isEqualTo(200);
        assertThat(bandwidth().post("/webhooks/bandwidth", complete).statusCode()).isEqualTo(200);

        assertThat(BROKER.takeExactly(ORDERS, 2)).extracting(m -> m.getStringProperty("OrderStatus"))
                .containsExactly("FOC", "COMPLETE");
    }

    @Test
    void typeComesFromTheXmlNotThePath() throws JMSException {
        HttpResponse<String> response = bandwidth().post("/webhooks/bandwidth/events", Payloads.read("orders/portin-foc.xml"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BROKER.receive(ORDERS).getStringProperty("OrderType")).isEqualTo("portins");
    }

    @Test
    void inboundHeadersCannotRedirectOrDecorateTheMessage() throws JMSException {
        HttpResponse<String> response = bandwidth().send(bandwidth().request("/webhooks/bandwidth/orders")
                .header("Content-Type", "application/xml")
                .header("CamelJmsDestinationName", "hijacked")
                .header("JMSDestination", "queue://hijacked")
                .header("OrderType", "forged")
                .header("X-Injected", "yes")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Payloads.read("orders/order-complete.xml"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Injected")).isEmpty();
        Message message = BROKER.receive(ORDERS);
        assertThat(message.getStringProperty("OrderType")).isEqualTo("orders");
        assertThat(message.getStringProperty("X-Injected")).isNull();
        assertThat(BROKER.receive("hijacked", null, 500)).isNull();
    }
}
