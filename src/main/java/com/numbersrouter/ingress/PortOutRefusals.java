package com.numbersrouter.ingress;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What a port-out validation gets when a servlet filter cannot let it through. Bandwidth approves a port-out on
 * any 4xx or 5xx, so a port-out is never refused with one: it gets {@code 200} and a {@code Portable=false} answer,
 * pre-rendered at start-up (the filters run before Camel and must not fail themselves).
 *
 * @param overloaded the fail mode's answer, for when even the reserved port-out capacity is in use
 * @param invalidRequest the invalid-request answer (7598): for a body over the size limit, and (when so configured)
 *                   for a port-out without valid credentials
 */
public record PortOutRefusals(byte[] overloaded, byte[] invalidRequest) {

    /** For tests and nodes without port-out validation: refusals keep their HTTP status. */
    public static final PortOutRefusals NONE = new PortOutRefusals(null, null);

    public static void answer(HttpServletResponse response, byte[] xml) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/xml;charset=UTF-8");
        response.setContentLength(xml.length);
        response.getOutputStream().write(xml);
    }
}
