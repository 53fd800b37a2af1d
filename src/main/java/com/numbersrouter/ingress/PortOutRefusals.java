package com.numbersrouter.ingress;

import java.io.IOException;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What a port-out validation gets when a servlet filter cannot let it through. Bandwidth approves a port-out on
 * any 4xx or 5xx, so a port-out is never refused with one: it gets {@code 200} and a {@code Portable=false} answer,
 * pre-rendered at start-up (the filters run before Camel and must not fail themselves).
 *
 * @param overloaded the fail mode's answer, for when even the reserved port-out capacity is in use
 * @param invalidRequest the invalid-request answer (7598): for a body over the size limit, and (when so configured)
 *                   for a port-out without valid credentials
 * @param undecided  counts and logs a port-out answered by the fail mode without a decision, given why (as the
 *                   port-out route's own fallback does: {@code numbers_router_portout_undecided_total}), so one
 *                   alert sees them all
 * @param audit      records each of these answers in the port-out audit journal, as the routes record theirs (the
 *                   fail mode's 7599 lets the port proceed)
 */
public record PortOutRefusals(byte[] overloaded, byte[] invalidRequest, Consumer<String> undecided,
        Audit audit) {

    /** For tests and nodes without port-out validation: refusals keep their HTTP status. */
    public static final PortOutRefusals NONE = new PortOutRefusals(null, null, reason -> { });

    /** Without an audit journal (tests). */
    public PortOutRefusals(byte[] overloaded, byte[] invalidRequest, Consumer<String> undecided) {
        this(overloaded, invalidRequest, undecided, Audit.NONE);
    }

    /**
     * Records a port-out answered before the routes decided it. Called once the answer is written, on the request's
     * thread: it must return at once (no disk wait) and not throw.
     */
    @FunctionalInterface
    public interface Audit {
        Audit NONE = (failMode, why, body, authorization) -> { };

        /**
         * @param failMode      true for the fail mode's answer, false for the invalid-request one (7598)
         * @param why           why the request was not decided, for the record
         * @param body          the request's body when it arrived whole, else null
         * @param authorization the request's {@code Authorization} header, or null: only a body that came with
         *                      valid credentials has its PON and numbers recorded (a stranger's are made up)
         */
        void answered(boolean failMode, String why, byte[] body, String authorization);
    }

    /** The fail mode's answer, counted (and logged) as a port-out left undecided, and why. */
    public void answerUndecided(HttpServletResponse response, String reason) throws IOException {
        answerUndecided(response, reason, null, null);
    }

    /** The same, for a request whose body arrived whole. */
    public void answerUndecided(HttpServletResponse response, String reason, byte[] body, String authorization)
            throws IOException {
        undecided.accept(reason);
        answer(response, overloaded);
        audited(response, true, reason, body, authorization);
    }

    /** The invalid-request answer (7598) to a body that was not read, recorded with why. */
    public void answerInvalid(HttpServletResponse response, String reason, String authorization) throws IOException {
        answer(response, invalidRequest);
        audited(response, false, reason, null, authorization);
    }

    /**
     * After the answer, sent first: nothing the record meets (not even an OutOfMemoryError) may turn it into a 500,
     * which Bandwidth takes as approval.
     */
    private void audited(HttpServletResponse response, boolean failMode, String why, byte[] body,
            String authorization) throws IOException {
        try {
            response.flushBuffer();
        } finally {
            // recorded even if the client went away before the answer reached it (to Bandwidth: silence)
            try {
                audit.answered(failMode, why, body, authorization);
            } catch (Throwable e) {
                org.slf4j.LoggerFactory.getLogger(PortOutRefusals.class)
                        .error("Port-out decision NOT recorded in the audit journal: {}", e.toString());
            }
        }
    }

    public static void answer(HttpServletResponse response, byte[] xml) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/xml;charset=UTF-8");
        response.setContentLength(xml.length);
        response.getOutputStream().write(xml);
    }
}
