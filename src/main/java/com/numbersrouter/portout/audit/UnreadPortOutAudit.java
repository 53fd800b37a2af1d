package com.numbersrouter.portout.audit;

import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.numbersrouter.ingress.PortOutRefusals;
import com.numbersrouter.portout.PortOutGatekeeper;
import com.numbersrouter.portout.PortOutValidationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the audit journal the port-outs that the servlet filters or the authentication answered before the
 * routes decided them (at a bound, too slow, oversize, refused for their credentials, before any route served): the
 * journal holds every answer Bandwidth was given, and the fail mode's 7599 lets the port proceed. The PON and numbers
 * are recorded when the body arrived whole and reads as a port-out request.
 */
public class UnreadPortOutAudit implements PortOutRefusals.Audit {

    private static final Logger LOG = LoggerFactory.getLogger("numbers-router.portout");

    private final PortOutGatekeeper gatekeeper;
    private final PortOutDecisionJournal journal;
    private final XmlMapper safeXmlMapper;

    public UnreadPortOutAudit(PortOutGatekeeper gatekeeper, PortOutDecisionJournal journal, XmlMapper safeXmlMapper) {
        this.gatekeeper = gatekeeper;
        this.journal = journal;
        this.safeXmlMapper = safeXmlMapper;
    }

    @Override
    public void answered(boolean failMode, String why, byte[] body) {
        try {
            journal.record(gatekeeper.answeredBeforeRoutes(failMode, why, request(body)));
        } catch (RuntimeException e) {
            // as the route logs its own: the answer stands, an operator must see this at once
            LOG.error("Port-out decision NOT recorded in the audit journal: {}", e.getMessage());
        }
    }

    private PortOutValidationRequest request(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            return safeXmlMapper.readValue(body, PortOutValidationRequest.class);
        } catch (Exception e) {
            // not a readable request: recorded without PON and numbers, as the route records an invalid one
            return null;
        }
    }
}
