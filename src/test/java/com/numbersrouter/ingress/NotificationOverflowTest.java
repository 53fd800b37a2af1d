package com.numbersrouter.ingress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.numbersrouter.spool.NotificationSpool;
import com.numbersrouter.spool.SpoolProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** A notification beyond the in-flight bound (none here): spooled with valid credentials, else challenged or refused. */
class NotificationOverflowTest {

    private static final WebhookCredentials CREDENTIALS = WebhookCredentials.from(new WebhookProperties("bw",
            Map.of("primary", new WebhookProperties.Credential("bandwidth", "secret")), DataSize.ofMegabytes(1),
            DataSize.ofMegabytes(16), Duration.ofSeconds(10), 0, 1));
    private static final byte[] ORDER = "<Notification><OrderId>o-1</OrderId><OrderType>portins</OrderType></Notification>"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path spoolDirectory;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void withValidCredentialsTheBodyIsSpooledAsReceivedAndAnswered200() throws Exception {
        MockHttpServletResponse response = beyondTheBound(spool(10), "Basic YmFuZHdpZHRoOnNlY3JldA==");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(spooled()).singleElement().satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(ORDER));
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "spooled").count()).isOne();
    }

    @Test
    void withoutCredentialsOrWithWrongOnesItIsChallengedAndNothingIsKept() throws Exception {
        for (String authorization : new String[] {null, "Basic YmFuZHdpZHRoOndyb25n"}) {
            MockHttpServletResponse response = beyondTheBound(spool(10), authorization);

            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"bw\", charset=\"UTF-8\"");
        }
        assertThat(spooled()).isEmpty();
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "unauthenticated").count()).isOne();
        assertThat(meters.counter("numbers.router.webhooks", "type", "unknown", "outcome", "bad-credentials").count()).isOne();
    }

    @Test
    void aFullSpoolStillAnswers503() throws Exception {
        MockHttpServletResponse response = beyondTheBound(spool(0), "Basic YmFuZHdpZHRoOnNlY3JldA==");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(spooled()).isEmpty();
    }

    /** The forced writes of overflowing notifications are bounded: they must not take the disk from the broker. */
    @Test
    void beyondItsConcurrentWritesAnOverflowIsRefusedWith503() throws Exception {
        CountDownLatch writing = new CountDownLatch(NotificationOverflow.WRITES_AT_ONCE);
        CountDownLatch finish = new CountDownLatch(1);
        NotificationSpool slowDisk = new NotificationSpool(new SpoolProperties(spoolDirectory, 100, Duration.ofSeconds(1)),
                null, null) {
            @Override
            public void storeOverflow(byte[] body, long received) throws java.io.IOException {
                writing.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.storeOverflow(body, received);
            }
        };
        IntakeAdmission admission = admission(slowDisk);
        ExecutorService threads = Executors.newFixedThreadPool(NotificationOverflow.WRITES_AT_ONCE);
        try {
            List<Future<MockHttpServletResponse>> held = new ArrayList<>();
            for (int i = 0; i < NotificationOverflow.WRITES_AT_ONCE; i++) {
                held.add(threads.submit(() -> beyondTheBound(admission, "Basic YmFuZHdpZHRoOnNlY3JldA==")));
            }
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(beyondTheBound(admission, "Basic YmFuZHdpZHRoOnNlY3JldA==").getStatus()).isEqualTo(503);

            finish.countDown();
            for (Future<MockHttpServletResponse> response : held) {
                assertThat(response.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
        assertThat(spooled()).hasSize(NotificationOverflow.WRITES_AT_ONCE);
        assertThat(meters.counter("numbers.router.webhooks.shed", "pool", "notifications").count()).isOne();
    }

    private MockHttpServletResponse beyondTheBound(NotificationSpool spool, String authorization) throws Exception {
        return beyondTheBound(admission(spool), authorization);
    }

    private IntakeAdmission admission(NotificationSpool spool) {
        return new IntakeAdmission(0, 1, meters, PortOutRefusals.NONE,
                new NotificationOverflow(CREDENTIALS, "bw", () -> spool, meters));
    }

    private MockHttpServletResponse beyondTheBound(IntakeAdmission admission, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/bandwidth");
        request.setAttribute(WebhookBodyBuffer.RAW_BODY, ORDER);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        admission.doFilter(request, response, chain);
        assertThat(chain.getRequest()).as("not processed").isNull();
        return response;
    }

    private NotificationSpool spool(int maxFiles) {
        return new NotificationSpool(new SpoolProperties(spoolDirectory, maxFiles, Duration.ofSeconds(1)), null, null);
    }

    private List<Path> spooled() throws Exception {
        try (Stream<Path> files = Files.list(spoolDirectory)) {
            return files.toList();
        }
    }
}
