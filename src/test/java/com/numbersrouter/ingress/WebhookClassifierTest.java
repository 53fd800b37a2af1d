package com.numbersrouter.ingress;

import java.nio.charset.StandardCharsets;

import com.numbersrouter.support.Payloads;
import com.numbersrouter.xml.Notification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookClassifierTest {

    private final WebhookClassifier classifier = new WebhookClassifier();

    @ParameterizedTest
    @CsvSource({
            "orders/order-complete.xml, ORDER",
            "orders/portin-foc.xml, ORDER",
            "orders/note-added.xml, ORDER",
            "orders/disconnect-failed.xml, ORDER",
            "orders/one-line-e164.xml, ORDER",
            "events/messaging-lost.xml, EVENT",
            "events/messaging-lost-completed-numbers.xml, EVENT",
            "portout/valid.xml, PORT_OUT_VALIDATION",
            "portout/minimal-prolog.xml, PORT_OUT_VALIDATION",
            "invalid/unknown-root.xml, UNCLASSIFIED",
            "invalid/neither-order-nor-event.xml, UNCLASSIFIED",
            "invalid/not-well-formed.xml, UNCLASSIFIED",
            "invalid/xxe-external-entity.xml, UNCLASSIFIED",
            "invalid/billion-laughs.xml, UNCLASSIFIED",
            "invalid/json.json, UNCLASSIFIED",
            "invalid/portout-with-doctype.xml, PORT_OUT_VALIDATION"
    })
    void typeComesFromTheContent(String fixture, WebhookType expected) {
        assertThat(classifier.classify(Payloads.bytes(fixture), "all").type()).isEqualTo(expected);
    }

    @Test
    void orderFieldsAreReadWhateverTheElementOrder() {
        Notification order = classifier.classify(Payloads.bytes("orders/order-complete.xml"), "all").notification();

        assertThat(order.getOrderType()).isEqualTo("orders");
        assertThat(order.getOrderId()).isEqualTo("6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        assertThat(order.getStatus()).isEqualTo("COMPLETE");
        assertThat(order.getSubscriptionId()).isEqualTo("0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33");
        assertThat(order.getLastModifiedDate()).isEqualTo("2025-03-04T14:22:09.117Z");
        assertThat(order.getCompletedTelephoneNumbers()).containsExactly("9195550101", "9195550102");
    }

    /** EventType is event-only (bandwidth-webhooks.md §1.1); OrderId and OrderType are shared by the one schema. */
    @Test
    void anEventThatAlsoNamesAnOrderIsAnEvent() {
        String xml = "<Notification><SubscriptionId>s</SubscriptionId><EventType>MESSAGING_LOST</EventType>"
                + "<OrderId>o-1</OrderId><OrderType>portins</OrderType><ImpactedTelephoneNumbers>"
                + "<TelephoneNumber>9195550101</TelephoneNumber></ImpactedTelephoneNumbers></Notification>";

        assertThat(classifier.classify(xml.getBytes(StandardCharsets.UTF_8), "all").type()).isEqualTo(WebhookType.EVENT);
    }

    @Test
    void eventNumbersComeFromEitherListName() {
        Notification impacted = classifier.classify(Payloads.bytes("events/messaging-lost.xml"), "all").notification();
        Notification completed = classifier.classify(
                Payloads.bytes("events/messaging-lost-completed-numbers.xml"), "all").notification();

        assertThat(impacted.affectedTelephoneNumbers()).containsExactly("9845550177", "9845550178");
        assertThat(completed.affectedTelephoneNumbers()).containsExactly("+19845550199");
    }

    @Test
    void doctypeIsRefusedWithoutExpandingAnything() {
        Classification result = classifier.classify(Payloads.bytes("invalid/xxe-external-entity.xml"), "all");

        assertThat(result.problem()).isEqualTo("DOCTYPE declarations are not accepted");
        assertThat(result.notification()).isNull();
    }

    @Test
    void truncatedDocumentIsMalformedEvenWhenTheRootLooksRight() {
        String order = Payloads.read("orders/order-complete.xml");
        Classification result = classifier.classify(
                order.substring(0, order.indexOf("</OrderType>")).getBytes(StandardCharsets.UTF_8), "all");

        assertThat(result.type()).isEqualTo(WebhookType.UNCLASSIFIED);
        assertThat(result.problem()).startsWith("The request body is not well-formed XML (line");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "<Notification>" + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</Notification>";

        Classification result = classifier.classify(deep.getBytes(StandardCharsets.UTF_8), "all");

        assertThat(result.type()).isEqualTo(WebhookType.UNCLASSIFIED);
        assertThat(result.malformed()).isTrue();
    }

    /** The limit is 32 levels (the README's figure): an order that deep is read, one level more is not. */
    @Test
    void nestingUpToThirtyTwoLevelsIsReadAndOneMoreIsRefused() {
        assertThat(com.numbersrouter.xml.SafeXml.MAX_ELEMENT_DEPTH).isEqualTo(32);
        // <Notification> and <Extra> are two levels
        Classification atTheLimit = classifier.classify(orderNested(30), "all");
        Classification overIt = classifier.classify(orderNested(31), "all");

        assertThat(atTheLimit.problem()).isNull();
        assertThat(atTheLimit.type()).isEqualTo(WebhookType.ORDER);
        assertThat(overIt.type()).isEqualTo(WebhookType.UNCLASSIFIED);
        assertThat(overIt.malformed()).isTrue();
    }

    private static byte[] orderNested(int levels) {
        String order = com.numbersrouter.support.Orders.numbered(1);
        int end = order.lastIndexOf("</Notification>");
        return (order.substring(0, end) + "<Extra>" + "<a>".repeat(levels) + "</a>".repeat(levels) + "</Extra>"
                + order.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anythingUnreadableOnThePortOutEntryIsAPortOutRequest() {
        Classification result = classifier.classify("not xml".getBytes(StandardCharsets.UTF_8), "portout-validation");

        assertThat(result.type()).isEqualTo(WebhookType.PORT_OUT_VALIDATION);
        assertThat(result.malformed()).isTrue();
    }

    /**
     * The binding keeps the last of a repeated element: a stranger's number in a first {@code <TelephoneNumbers>}, or a
     * guessed first {@code <Pin>}, went unchecked. Bandwidth sends each once (bandwidth-webhooks.md §3.2).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<TelephoneNumbers><TelephoneNumber>9195550199</TelephoneNumber></TelephoneNumbers><TelephoneNumbers><TelephoneNumber>9195550188</TelephoneNumber></TelephoneNumbers> | TelephoneNumbers",
            "<Pin>000000</Pin><Pin>048213</Pin><TelephoneNumbers><TelephoneNumber>9195550188</TelephoneNumber></TelephoneNumbers> | Pin"})
    void aPortOutRequestWithAnElementGivenTwiceIsMalformed(String children, String repeated) {
        byte[] xml = ("<PortOutValidationRequest><PON>P-1</PON>" + children + "</PortOutValidationRequest>")
                .getBytes(StandardCharsets.UTF_8);

        Classification result = classifier.classify(xml, "all");

        assertThat(result.type()).isEqualTo(WebhookType.PORT_OUT_VALIDATION);
        assertThat(result.malformed()).isTrue();
        assertThat(result.problem()).isEqualTo("<" + repeated + "> appears more than once in the port-out request");
        assertThat(classifier.classify(Payloads.bytes("portout/valid.xml"), "all").malformed()).isFalse();
    }

    @Test
    void anOrderPostedToThePortOutEntryIsStillAnOrder() {
        assertThat(classifier.classify(Payloads.bytes("orders/order-complete.xml"), "portout-validation").type())
                .isEqualTo(WebhookType.ORDER);
    }

    @Test
    void unexpectedRootNameIsCutShortInTheAnswer() {
        String root = "X".repeat(500);
        Classification result = classifier.classify(("<" + root + "/>").getBytes(StandardCharsets.UTF_8), "all");

        assertThat(result.problem()).hasSizeLessThan(200);
    }

    @Test
    void storedNotificationIsReadBackForTheAlertConsumer() {
        assertThat(classifier.notification(Payloads.bytes("events/messaging-lost.xml")).getEventType())
                .isEqualTo("MESSAGING_LOST");
        assertThatThrownBy(() -> classifier.notification(Payloads.bytes("portout/valid.xml")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
