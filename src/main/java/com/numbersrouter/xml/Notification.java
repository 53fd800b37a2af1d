package com.numbersrouter.xml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bandwidth's {@code <Notification>}: one flat element set shared by order and event notifications
 * (bandwidth-webhooks.md §1.1, §2). Element order is not stable and Bandwidth adds elements over time,
 * so this is a tolerant bag of optional values, never a schema. Read by {@link com.numbersrouter.ingress.WebhookClassifier}
 * in its single streaming pass (Jackson cannot map two lists that share the element name {@code TelephoneNumber}).
 */
public class Notification {

    private String subscriptionId;
    private String orderType;
    private String orderId;
    private String customerOrderId;
    private String status;
    private String message;
    private String note;
    private String lastModifiedDate;
    private String actualFocDate;
    private String eventType;
    private List<String> completedTelephoneNumbers = new ArrayList<>();
    private List<String> impactedTelephoneNumbers = new ArrayList<>();

    public boolean isOrder() {
        return hasText(orderType) || hasText(orderId);
    }

    public boolean isEvent() {
        return hasText(eventType);
    }

    /**
     * Numbers an event is about. The event page names them {@code ImpactedTelephoneNumbers}; the subscription
     * spec shows {@code CompletedTelephoneNumbers} for the same thing (§2, "Discrepancy"), so accept both; an event
     * carrying both lists is about every number in either, each once, in the order they came.
     */
    public List<String> affectedTelephoneNumbers() {
        if (completedTelephoneNumbers.isEmpty()) {
            return impactedTelephoneNumbers;
        }
        if (impactedTelephoneNumbers.isEmpty()) {
            return completedTelephoneNumbers;
        }
        Set<String> both = new LinkedHashSet<>(impactedTelephoneNumbers);
        both.addAll(completedTelephoneNumbers);
        return List.copyOf(both);
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    public String getSubscriptionId() { return subscriptionId; }
    public void setSubscriptionId(String subscriptionId) { this.subscriptionId = subscriptionId; }

    public String getOrderType() { return orderType; }
    public void setOrderType(String orderType) { this.orderType = orderType; }

    public String getOrderId() { return orderId; }
    public void setOrderId(String orderId) { this.orderId = orderId; }

    public String getCustomerOrderId() { return customerOrderId; }
    public void setCustomerOrderId(String customerOrderId) { this.customerOrderId = customerOrderId; }

    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }

    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    public String getNote() { return note; }
    public void setNote(String note) { this.note = note; }

    public String getLastModifiedDate() { return lastModifiedDate; }
    public void setLastModifiedDate(String lastModifiedDate) { this.lastModifiedDate = lastModifiedDate; }

    public String getActualFocDate() { return actualFocDate; }
    public void setActualFocDate(String actualFocDate) { this.actualFocDate = actualFocDate; }

    public String getEventType() { return eventType; }
    public void setEventType(String eventType) { this.eventType = eventType; }

    public List<String> getCompletedTelephoneNumbers() { return completedTelephoneNumbers; }
    public void setCompletedTelephoneNumbers(List<String> numbers) {
        this.completedTelephoneNumbers = numbers == null ? new ArrayList<>() : numbers;
    }

    public List<String> getImpactedTelephoneNumbers() { return impactedTelephoneNumbers; }
    public void setImpactedTelephoneNumbers(List<String> numbers) {
        this.impactedTelephoneNumbers = numbers == null ? new ArrayList<>() : numbers;
    }
}
