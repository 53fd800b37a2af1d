package com.numbersrouter.ingress;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.numbersrouter.xml.Notification;
import com.numbersrouter.xml.SafeXml;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * Reads a webhook body in one streaming pass (no DOM, no XPath per branch) through the hardened parser, and
 * decides its type from the root element and, for {@code <Notification>}, from which children it carries.
 * The whole document is read, so a truncated or malformed body is caught here and never forwarded.
 *
 * <p>Sets the exchange variables the routes branch on: {@code webhookType}, {@code webhookProblem} (when the body
 * is unusable) and {@code notification}. The body becomes the received bytes, unchanged.
 */
public class WebhookClassifier {

    static final String PORT_OUT_ROOT = "PortOutValidationRequest";
    static final String NOTIFICATION_ROOT = "Notification";
    /** Set by the port-out alias route: anything posted there that is not clearly something else is a port-out. */
    static final String PORT_OUT_ENTRY = "portout-validation";

    /** Exchange variable: the body exactly as received, as {@code byte[]}. */
    public static final String RECEIVED_BYTES = "webhookBytes";

    private final XMLInputFactory xmlInputFactory = SafeXml.inputFactory();

    public void classify(Exchange exchange) {
        byte[] body = rawBody(exchange);
        exchange.getMessage().setBody(body);
        Classification result = classify(body, exchange.getVariable("webhookEntry", String.class));
        exchange.setVariable("webhookType", result.type().name());
        exchange.setVariable("webhookProblem", result.problem());
        exchange.setVariable("notification", result.notification());
        exchange.setVariable("xmlEncoding", result.encoding());
        // What the spool must store if the send fails: the body is turned into text for the JMS send before that.
        exchange.setVariable(RECEIVED_BYTES, body);
    }

    /** The bytes as received over HTTP (kept by WebhookBodyBuffer), else the body as bytes (spool, replay). */
    static byte[] rawBody(Exchange exchange) {
        if (exchange.getMessage() instanceof PlatformHttpMessage http && http.getRequest() != null
                && http.getRequest().getAttribute(WebhookBodyBuffer.RAW_BODY) instanceof byte[] raw) {
            return raw;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /**
     * For consumers of the queues: reads a stored order or event notification back into its fields.
     *
     * @throws UnreadableNotificationException if the body is not a usable notification
     */
    public Notification notification(byte[] body) {
        Classification result = read(body);
        if (result.notification() == null) {
            throw new UnreadableNotificationException(result.problem() != null ? result.problem() : "Not a <Notification>");
        }
        return result.notification();
    }

    /**
     * The same for a notification taken from a JMS TextMessage: that is already characters, so it is parsed as
     * such (its XML declaration may name UTF-16 or ISO-8859-1, which no longer describes any bytes).
     *
     * @throws UnreadableNotificationException if the text is not a usable notification
     */
    public Notification notificationFromText(String xml) {
        Classification result = xml == null || xml.isEmpty()
                ? Classification.rejected(WebhookType.UNCLASSIFIED, "The request body is empty")
                : read(() -> xmlInputFactory.createXMLStreamReader(new StringReader(xml)), null);
        if (result.notification() == null) {
            throw new UnreadableNotificationException(result.problem() != null ? result.problem() : "Not a <Notification>");
        }
        return result.notification();
    }

    /**
     * Whether a webhook is a port-out validation, however far the intake got with it: by its type once classified,
     * else by the URL it came in on or by its root element. The intake's error handler asks, so that a port-out is
     * never answered 4xx or 5xx (Bandwidth approves it then) when something fails before its own route runs.
     */
    public boolean isPortOut(Exchange exchange) {
        String type = exchange.getVariable("webhookType", String.class);
        if (type != null) {
            // Classified: the XML decides, whatever the URL. An order posted to the port-out URL that cannot be stored
            // must get its 503, not a port-out answer (a 200, after which Bandwidth never sends it again).
            return WebhookType.PORT_OUT_VALIDATION.name().equals(type);
        }
        // Not yet classified (a failure before the classifier ran): its URL or its root element.
        return PORT_OUT_ENTRY.equals(exchange.getVariable("webhookEntry", String.class))
                || IntakeAdmission.looksLikePortOut(rawBody(exchange));
    }

    public Classification classify(byte[] body, String entry) {
        Classification result = read(body);
        if (result.type() == WebhookType.UNCLASSIFIED
                && (PORT_OUT_ENTRY.equals(entry) || IntakeAdmission.looksLikePortOut(body))) {
            // A 400 would make Bandwidth approve the port-out: on the port-out URL, or for a body whose first bytes
            // name the port-out root (admission and authentication took it for one), answer an invalid request.
            // Such as a root the parser never reached (text before the XML declaration) or a prefixed one.
            return Classification.rejected(WebhookType.PORT_OUT_VALIDATION, result.problem());
        }
        return result;
    }

    private Classification read(byte[] body) {
        if (body.length == 0) {
            return Classification.rejected(WebhookType.UNCLASSIFIED, "The request body is empty");
        }
        return read(() -> xmlInputFactory.createXMLStreamReader(new ByteArrayInputStream(body)), body);
    }

    private interface ReaderSource {
        XMLStreamReader open() throws XMLStreamException;
    }

    /** @param body the bytes the reader reads, to check their encoding strictly; null when reading characters */
    private Classification read(ReaderSource source, byte[] body) {
        String root = null;
        String encoding = null;
        String doctypeProblem = null;
        NotificationReader notification = new NotificationReader();
        Set<String> portOutFields = new HashSet<>();
        String repeatedPortOutField = null;
        XMLStreamReader reader = null;
        try {
            reader = source.open();
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    // With DTDs off the parser cannot know the entity: it is undeclared, so not well-formed.
                    return rejectedFor(root, "The request body is not well-formed XML (undeclared entity &"
                            + abbreviate(reader.getLocalName()) + ";)");
                }
                if (event == XMLStreamConstants.DTD) {
                    // Never processed (see SafeXml); refused outright so no entity trickery reaches a consumer.
                    doctypeProblem = "DOCTYPE declarations are not accepted";
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 1) {
                        root = reader.getLocalName();
                        encoding = reader.getEncoding();
                        if (doctypeProblem != null) {
                            break;
                        }
                    } else if (NOTIFICATION_ROOT.equals(root)) {
                        notification.startElement(depth, reader.getLocalName());
                    } else if (depth == 2 && PORT_OUT_ROOT.equals(root) && PORT_OUT_FIELDS.contains(reader.getLocalName())
                            && !portOutFields.add(reader.getLocalName()) && repeatedPortOutField == null) {
                        repeatedPortOutField = reader.getLocalName();
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    notification.text(reader.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (NOTIFICATION_ROOT.equals(root)) {
                        notification.endElement(depth, reader.getLocalName());
                    }
                    depth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            return rejectedFor(root, "The request body is not well-formed XML" + where(e));
        } finally {
            closeQuietly(reader);
        }
        if (doctypeProblem != null) {
            return rejectedFor(root, doctypeProblem);
        }
        if (repeatedPortOutField != null) {
            // The binding keeps the last of each: a number in the first <TelephoneNumbers>, or the first <Pin>,
            // would go unchecked, and the port-out be approved on the strength of the rest.
            return rejectedFor(root, "<" + repeatedPortOutField + "> appears more than once in the port-out request");
        }
        if (body != null && (encoding == null || "UTF-8".equalsIgnoreCase(encoding)) && !isStrictUtf8(body)) {
            // Woodstox tolerates some invalid sequences (overlong forms); a consumer decoding strictly would not.
            return rejectedFor(root, "The request body is not well-formed XML (invalid UTF-8)");
        }
        if (root == null) {
            return Classification.rejected(WebhookType.UNCLASSIFIED, "The request body holds no XML element");
        }
        if (PORT_OUT_ROOT.equals(root)) {
            return Classification.of(WebhookType.PORT_OUT_VALIDATION, null);
        }
        if (!NOTIFICATION_ROOT.equals(root)) {
            return Classification.rejected(WebhookType.UNCLASSIFIED,
                    "Unexpected root element <" + abbreviate(root) + ">: expected <Notification> or <PortOutValidationRequest>");
        }
        Notification parsed = notification.result();
        // EventType first: orders and events share one element set (the spec's NotificationCallbackRequest), and
        // EventType is the one element only events carry, so an event that also names an order is still an alert.
        if (parsed.isEvent()) {
            return Classification.of(WebhookType.EVENT, parsed, encoding);
        }
        if (parsed.isOrder()) {
            return Classification.of(WebhookType.ORDER, parsed, encoding);
        }
        return Classification.rejected(WebhookType.UNCLASSIFIED,
                "<Notification> carries neither OrderType/OrderId nor EventType");
    }

    private static boolean isStrictUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The port-out request's elements that Bandwidth sends once each (bandwidth-webhooks.md §3.2). */
    private static final Set<String> PORT_OUT_FIELDS =
            Set.of("PON", "Pin", "AccountNumber", "ZipCode", "SubscriberName", "TelephoneNumbers");

    private static Classification rejectedFor(String root, String problem) {
        return Classification.rejected(PORT_OUT_ROOT.equals(root) ? WebhookType.PORT_OUT_VALIDATION : WebhookType.UNCLASSIFIED,
                problem);
    }

    private static String where(Exception e) {
        if (e instanceof XMLStreamException xse && xse.getLocation() != null) {
            return " (line " + xse.getLocation().getLineNumber() + ", column " + xse.getLocation().getColumnNumber() + ")";
        }
        return "";
    }

    private static String abbreviate(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing to release beyond the in-memory stream
            }
        }
    }

    /** Collects the flat {@code <Notification>} fields and its two number lists while the stream goes by. */
    private static final class NotificationReader {

        private final Notification notification = new Notification();
        private final List<String> completed = new ArrayList<>();
        private final List<String> impacted = new ArrayList<>();
        private String field;
        private String list;
        private final StringBuilder text = new StringBuilder();

        void startElement(int depth, String name) {
            text.setLength(0);
            if (depth == 2) {
                field = name;
                list = name;
            } else if (depth != 3 || !"TelephoneNumber".equals(name)) {
                field = null;
            }
        }

        void text(String chunk) {
            text.append(chunk);
        }

        void endElement(int depth, String name) {
            String value = text.toString().trim();
            text.setLength(0);
            if (depth == 3 && "TelephoneNumber".equals(name) && !value.isEmpty()) {
                if ("CompletedTelephoneNumbers".equals(list)) {
                    completed.add(value);
                } else if ("ImpactedTelephoneNumbers".equals(list)) {
                    impacted.add(value);
                }
            } else if (depth == 2 && name.equals(field)) {
                set(name, value.isEmpty() ? null : value);
            }
        }

        private void set(String name, String value) {
            switch (name) {
                case "SubscriptionId" -> notification.setSubscriptionId(value);
                case "OrderType" -> notification.setOrderType(value);
                case "OrderId" -> notification.setOrderId(value);
                case "CustomerOrderId" -> notification.setCustomerOrderId(value);
                case "Status" -> notification.setStatus(value);
                case "Message" -> notification.setMessage(value);
                case "Note" -> notification.setNote(value);
                case "LastModifiedDate" -> notification.setLastModifiedDate(value);
                case "ActualFocDate" -> notification.setActualFocDate(value);
                case "EventType" -> notification.setEventType(value);
                default -> {
                    // Bandwidth adds elements over time; unknown ones are carried in the XML, not parsed.
                }
            }
        }

        Notification result() {
            notification.setCompletedTelephoneNumbers(completed);
            notification.setImpactedTelephoneNumbers(impacted);
            return notification;
        }
    }
}
