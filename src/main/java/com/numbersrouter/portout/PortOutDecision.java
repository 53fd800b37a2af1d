package com.numbersrouter.portout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One port-out decision, as audited and published: what was asked, what was answered, on what basis and how fast.
 * It has no field for the PIN (only whether one matched), account number, ZIP or name of the request, so none can leak into the audit trail.
 *
 * @param decidedAt        when the answer was given
 * @param pon              the request's PON (may be null: it is optional)
 * @param telephoneNumbers the requested numbers, normalised (10-digit NANP or E.164)
 * @param portable         the answer's {@code Portable}
 * @param codes            the answer's error codes (empty when portable)
 * @param basis            what decided it: {@code directory:csv}, {@code directory:jdbc}, {@code lockout},
 *                         {@code fail-closed}, {@code fail-open}, {@code invalid-request}, or {@code repeat} (the
 *                         same request again, answered as the first time)
 * @param latencyMillis    from the request reaching the validator to the answer
 * @param pinCheck         what the decision found of the PIN ({@code matched}, {@code wrong}, {@code missing},
 *                         {@code not-checked}); null where no rule was evaluated (a lock, the fail mode, a repeat)
 * @param reason           why the fail mode answered (e.g. {@code deadline passed}); null for a decision
 * @param node             the node that recorded it (numbers-router.portout.audit.node-name): with several nodes, a
 *                         retry may be decided on another
 * @param authenticated    false for a request answered before its credentials were checked, without valid ones: its
 *                         PON and numbers are as the sender wrote them (Bandwidth's own first request in the
 *                         challenge flow has none, so a request without them may still be Bandwidth's); true for
 *                         the others, every decision of the routes included (they come after the check); null in
 *                         records written before it was kept (read as true)
 */
public record PortOutDecision(
        Instant decidedAt,
        String pon,
        List<String> telephoneNumbers,
        boolean portable,
        List<Integer> codes,
        String basis,
        long latencyMillis,
        String pinCheck,
        String reason,
        String node,
        Boolean authenticated) {

    public PortOutDecision {
        Objects.requireNonNull(decidedAt, "decidedAt");
        telephoneNumbers = List.copyOf(telephoneNumbers);
        codes = List.copyOf(codes);
        Objects.requireNonNull(basis, "basis");
    }

    /**
     * A decision without PIN evidence, reason, node or credentials (records written before they were kept read the
     * same).
     */
    public PortOutDecision(Instant decidedAt, String pon, List<String> telephoneNumbers, boolean portable,
            List<Integer> codes, String basis, long latencyMillis) {
        this(decidedAt, pon, telephoneNumbers, portable, codes, basis, latencyMillis, null, null, null, null);
    }

    /** The same decision, as recorded by this node. */
    public PortOutDecision recordedBy(String nodeName) {
        return new PortOutDecision(decidedAt, pon, telephoneNumbers, portable, codes, basis, latencyMillis, pinCheck,
                reason, nodeName, authenticated);
    }
}
