package com.numbersrouter.ingress;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads each webhook body here, on the servlet thread, bounded, before Camel sees the request:
 * <ul>
 * <li>platform-http would read any size into memory: a declared {@code Content-Length} over the limit is refused
 * with 413 unread, and a chunked body as soon as it passes the limit;</li>
 * <li>platform-http decodes bodies as text with the request's charset, which fails on invalid bytes and mangles
 * other encodings: the exact bytes are kept as the request attribute {@link #RAW_BODY}, and the classifier parses
 * those (XML declares its own encoding);</li>
 * <li>a form content type would make the container consume the body as parameters: it never sees it;</li>
 * <li>a client dribbling its body holds a servlet thread (for at most {@code server.tomcat.connection-timeout}),
 * not one of the threads that process webhooks.</li>
 * </ul>
 */
public class WebhookBodyBuffer extends OncePerRequestFilter {

    /** The request body exactly as received, as {@code byte[]}. */
    public static final String RAW_BODY = WebhookBodyBuffer.class.getName() + ".raw";

    private final long maxBytes;
    private final PortOutRefusals refusals;

    public WebhookBodyBuffer(long maxBytes) {
        this(maxBytes, PortOutRefusals.NONE);
    }

    /** @param refusals what an oversized port-out posted to the port-out URL gets instead of 413 */
    public WebhookBodyBuffer(long maxBytes, PortOutRefusals refusals) {
        this.maxBytes = maxBytes;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            refuse(request, response);
            return;
        }
        request.setAttribute(RAW_BODY, body);
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (IntakeAdmission.PORT_OUT_PATH.equals(request.getRequestURI()) && refusals.invalidRequest() != null) {
            // 413 would approve the port-out; an oversized port-out request is an invalid one (7598)
            response.setHeader("Connection", "close");
            PortOutRefusals.answer(response, refusals.invalidRequest());
            return;
        }
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("text/plain;charset=UTF-8");
        // Closing the connection spares the server from swallowing the rest of an oversized upload.
        response.setHeader("Connection", "close");
        response.getWriter().write("Request body is larger than " + maxBytes + " bytes\n");
    }

    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return body.length == 0 || in.markSupported() && available() == 0;
                }

                @Override
                public int available() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body is already buffered; read it synchronously");
                }
            };
        }

        /**
         * platform-http reads the body through this reader; ISO-8859-1 maps every byte to one char, so it can never
         * fail on bytes that are not valid in the declared charset. The classifier uses {@link #RAW_BODY} instead.
         */
        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.ISO_8859_1));
        }

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.ISO_8859_1.name();
        }
    }
}
