package com.numbersrouter.portout.audit;

import java.util.stream.Collectors;

import com.numbersrouter.portout.PortOutDecision;
import com.numbersrouter.xml.NotificationHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * The JMS properties of a published port-out decision, named as valid JMS identifiers so that an ESB can select on
 * them (e.g. {@code Portable = FALSE AND DecisionBasis = 'lockout'}). The body stays the decision itself; the
 * route turns it into JSON afterwards.
 */
public class PortOutDecisionJmsProperties {

    public void apply(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        PortOutDecision decision = message.getMandatoryBody(PortOutDecision.class);
        // The PON came from the internet: control characters are dropped, as on every other forwarded property.
        NotificationHeaders.putIfPresent(message, "PON", decision.pon());
        message.setHeader("Portable", decision.portable());
        message.setHeader("ErrorCodes", decision.codes().stream().map(String::valueOf).collect(Collectors.joining(",")));
        NotificationHeaders.putIfPresent(message, "DecisionBasis", decision.basis());
        message.setHeader("TelephoneNumberCount", decision.telephoneNumbers().size());
        // e.g. Portable = TRUE AND PinCheck <> 'matched': approvals no PIN was checked for
        NotificationHeaders.putIfPresent(message, "PinCheck", decision.pinCheck());
        NotificationHeaders.putIfPresent(message, "DecidedBy", decision.node());
        // false only for an answer given before the credentials were checked, without valid ones: its PON and
        // numbers are the sender's own (a CRM that notifies subscribers selects Authenticated = TRUE)
        message.setHeader("Authenticated", !Boolean.FALSE.equals(decision.authenticated()));
    }
}
