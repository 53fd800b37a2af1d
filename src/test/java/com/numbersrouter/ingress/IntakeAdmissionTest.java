package com.numbersrouter.ingress;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit test with Spring's servlet mocks: the async lifecycle of a platform-http request, driven by hand. */
class IntakeAdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final IntakeAdmission admission = new IntakeAdmission(2, 1, meters);

    @Test
    void beyondTheBoundRequestsAreShedWith503AndRetryAfterUntilOneCompletes() throws Exception {
        MockHttpServletRequest first = inFlight("/webhooks/bandwidth");
        inFlight("/webhooks/bandwidth/orders");

        MockHttpServletResponse shed = new MockHttpServletResponse();
        admission.doFilter(post("/webhooks/bandwidth"), shed, new MockFilterChain());

        assertThat(shed.getStatus()).isEqualTo(503);
        assertThat(shed.getHeader("Retry-After")).isEqualTo("5");
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "notifications").count()).isEqualTo(1);

        first.getAsyncContext().complete();
        assertThat(admission.available(false)).isEqualTo(1);
    }

    @Test
    void portOutValidationsKeepTheirReservedShareWhileNotificationsFlood() throws Exception {
        inFlight("/webhooks/bandwidth");
        inFlight("/webhooks/bandwidth");

        MockHttpServletResponse portOut = new MockHttpServletResponse();
        admission.doFilter(post(IntakeAdmission.PORT_OUT_PATH), portOut, new MockFilterChain());

        assertThat(portOut.getStatus()).isEqualTo(200);
        assertThat(admission.available(true)).isEqualTo(1);
    }

    @Test
    void aPortOutPostedToTheGenericUrlAlsoGetsTheReservedShare() throws Exception {
        inFlight("/webhooks/bandwidth");
        inFlight("/webhooks/bandwidth");
        MockHttpServletRequest portOut = post("/webhooks/bandwidth");
        portOut.setAttribute(WebhookBodyBuffer.RAW_BODY,
                "<?xml version=\"1.0\"?>\n<PortOutValidationRequest><PON>X</PON></PortOutValidationRequest>"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        MockHttpServletResponse response = new MockHttpServletResponse();

        admission.doFilter(portOut, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(200);
        MockHttpServletResponse order = new MockHttpServletResponse();
        admission.doFilter(post("/webhooks/bandwidth"), order, new MockFilterChain());
        assertThat(order.getStatus()).isEqualTo(503);
    }

    @Test
    void aPortOutBeyondItsReservedShareTakesAFreeNotificationPlace() throws Exception {
        inFlight(IntakeAdmission.PORT_OUT_PATH);

        MockHttpServletResponse second = new MockHttpServletResponse();
        admission.doFilter(post(IntakeAdmission.PORT_OUT_PATH), second, new MockFilterChain());

        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "portout").count()).isZero();
    }

    @Test
    void aPortOutIsNeverShedWith503ButAnsweredWithTheFailModeDenial() throws Exception {
        AtomicInteger undecided = new AtomicInteger();
        byte[] denial = "<PortOutValidationResponse><Portable>false</Portable></PortOutValidationResponse>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        IntakeAdmission guarded = new IntakeAdmission(1, 1, meters,
                new PortOutRefusals(denial, denial, reason -> undecided.incrementAndGet()));
        for (String path : new String[] {IntakeAdmission.PORT_OUT_PATH, "/webhooks/bandwidth"}) {
            MockHttpServletRequest busy = post(path);
            guarded.doFilter(busy, new MockHttpServletResponse(), (req, res) -> ((HttpServletRequest) req).startAsync());
        }
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse portOut = new MockHttpServletResponse();

        guarded.doFilter(post(IntakeAdmission.PORT_OUT_PATH), portOut, chain);

        assertThat(portOut.getStatus()).as("Bandwidth approves a port-out on 503").isEqualTo(200);
        assertThat(portOut.getContentType()).startsWith("application/xml");
        assertThat(portOut.getContentAsByteArray()).isEqualTo(denial);
        assertThat(chain.getRequest()).as("not processed").isNull();
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "portout").count()).isEqualTo(1);
        assertThat(undecided).as("counted as a port-out answered without a decision").hasValue(1);
    }

    /** The classifier reads UTF-16 port-outs, so the checks before it (admission, auth, body refusals) must too. */
    @Test
    void aPortOutIsKnownByItsRootInUtf8AndUtf16() {
        String xml = "<?xml version=\"1.0\" encoding=\"%s\"?><PortOutValidationRequest><PON>P-1</PON></PortOutValidationRequest>";
        assertThat(IntakeAdmission.looksLikePortOut(xml.formatted("UTF-8").getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
        assertThat(IntakeAdmission.looksLikePortOut(xml.formatted("UTF-16").getBytes(java.nio.charset.StandardCharsets.UTF_16))).isTrue();
        assertThat(IntakeAdmission.looksLikePortOut(xml.formatted("UTF-16LE").getBytes(java.nio.charset.StandardCharsets.UTF_16LE))).isTrue();
        assertThat(IntakeAdmission.looksLikePortOut("<Notification><OrderId>1</OrderId></Notification>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_16))).isFalse();
    }

    /** Prefixed, the root is still the port-out's; a mention in text is not a root. */
    @Test
    void aPrefixedPortOutRootIsKnownTooButNotTheNameInText() {
        assertThat(IntakeAdmission.looksLikePortOut("<ns2:PortOutValidationRequest xmlns:ns2=\"urn:x\"><PON>P-1</PON>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
        assertThat(IntakeAdmission.looksLikePortOut("<Notification><Note>PortOutValidationRequest</Note></Notification>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void tomcatThreadsThatCannotHoldEveryAdmittedWebhookAreReported() {
        assertThat(IntakeAdmission.threadShortfall(256, 200, 32)).isNull();
        assertThat(IntakeAdmission.threadShortfall(200, 200, 32))
                .contains("server.tomcat.threads.max (200)").contains("Raise it above 232");
    }

    /**
     * A body read without a thread reaches admission on the dispatch after it (WebhookBodyBuffer): it takes a permit
     * there like any other; the later dispatch of a request platform-http answers asynchronously takes none again.
     */
    @Test
    void aPermitIsTakenOnTheDispatchAfterASlowBodyAndOnlyOnce() throws Exception {
        MockHttpServletRequest inFlight = inFlight("/webhooks/bandwidth");
        inFlight.getAsyncContext().dispatch();
        inFlight.setDispatcherType(DispatcherType.ASYNC);
        admission.doFilter(inFlight, new MockHttpServletResponse(), new MockFilterChain());
        assertThat(admission.available(false)).as("platform-http's own dispatch: its permit is held already").isEqualTo(1);

        MockHttpServletRequest slowBody = post("/webhooks/bandwidth");
        slowBody.setDispatcherType(DispatcherType.ASYNC);
        MockHttpServletResponse admitted = new MockHttpServletResponse();
        admission.doFilter(slowBody, admitted, (req, res) -> ((HttpServletRequest) req).startAsync());
        MockHttpServletRequest beyond = post("/webhooks/bandwidth");
        beyond.setDispatcherType(DispatcherType.ASYNC);
        MockHttpServletResponse shed = new MockHttpServletResponse();
        admission.doFilter(beyond, shed, new MockFilterChain());

        assertThat(admitted.getStatus()).isEqualTo(200);
        assertThat(shed.getStatus()).as("the bound holds for bodies that came slowly").isEqualTo(503);
    }

    @Test
    void aSynchronousRequestReleasesItsPermitAtOnce() throws Exception {
        admission.doFilter(post("/webhooks/bandwidth"), new MockHttpServletResponse(), new MockFilterChain());

        assertThat(admission.available(false)).isEqualTo(2);
    }

    /** A request that platform-http has taken over asynchronously and not finished yet. */
    private MockHttpServletRequest inFlight(String path) throws Exception {
        MockHttpServletRequest request = post(path);
        request.setAsyncSupported(true);
        admission.doFilter(request, new MockHttpServletResponse(),
                (req, res) -> ((HttpServletRequest) req).startAsync());
        assertThat(request.isAsyncStarted()).isTrue();
        return request;
    }

    private static MockHttpServletRequest post(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setAsyncSupported(true);
        return request;
    }
}
