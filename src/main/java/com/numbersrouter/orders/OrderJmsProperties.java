package com.numbersrouter.orders;

import com.numbersrouter.dedupe.NotificationKeys;
import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import static com.numbersrouter.xml.NotificationHeaders.putIfPresent;
import static com.numbersrouter.xml.NotificationHeaders.receivedAt;

/**
 * Turns an order notification into the JMS message an ESB consumes: the XML exactly as received as the body, and
 * the fields a consumer selects on as JMS properties whose names are valid JMS identifiers
 * (e.g. {@code OrderType = 'portins' AND OrderStatus = 'FOC'}).
 */
public class OrderJmsProperties {

    private final NotificationKeys keys;

    public OrderJmsProperties(NotificationKeys keys) {
        this.keys = keys;
    }

    public void apply(Exchange exchange) {
        Notification order = exchange.getVariable("notification", Notification.class);
        Message message = exchange.getMessage();
        putIfPresent(message, "OrderType", order.getOrderType());
        putIfPresent(message, "OrderId", order.getOrderId());
        putIfPresent(message, "OrderStatus", order.getStatus());
        putIfPresent(message, "SubscriptionId", order.getSubscriptionId());
        putIfPresent(message, "CustomerOrderId", order.getCustomerOrderId());
        putIfPresent(message, "LastModifiedDate", order.getLastModifiedDate());
        // the port date Bandwidth confirmed (a FOC notification): what a porting team acts on, without parsing the XML
        putIfPresent(message, "ActualFocDate", order.getActualFocDate());
        putIfPresent(message, "JMSCorrelationID", order.getOrderId());
        // Always set: whether Bandwidth repeats <Status> in a note notification is not documented, and an ESB that
        // selects on OrderStatus = 'FOC' must be able to leave notes out (HasNote = FALSE).
        message.setHeader("HasNote", order.getNote() != null && !order.getNote().isBlank());
        message.setHeader(NotificationHeaders.RECEIVED_AT, receivedAt(exchange));
        // The key the node drops copies by: equal on every copy of one notification the node may store twice (a
        // commit answered too late, a later destination that failed), so a consumer can drop them too.
        message.setHeader(NotificationKeys.PROPERTY, keys.orderKey(exchange));
    }
}
