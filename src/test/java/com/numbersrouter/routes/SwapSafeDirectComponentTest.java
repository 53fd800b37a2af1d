package com.numbersrouter.routes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.direct.DirectConsumer;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.component.direct.DirectEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two callers of a {@code direct:} route that was just replaced, as when {@link RouteSwapGate} lets the webhooks it
 * held go: the first is held while it looks the new consumer up (the moment Camel's own producer is exposed), and the
 * second must still reach the new route, not the one removed.
 */
class SwapSafeDirectComponentTest {

    private final HeldLookup direct = new HeldLookup();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final ExecutorService firstCaller = Executors.newSingleThreadExecutor();
    private ProducerTemplate template;

    @BeforeEach
    void startCallerAndTarget() throws Exception {
        camel.addComponent("direct", direct);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:caller").routeId("caller").to("direct:target");
            }
        });
        addTarget("first");
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        direct.hold.countDown();
        firstCaller.shutdownNow();
        camel.stop();
    }

    @Test
    void aCallerThatMeetsAnotherMidLookupReachesTheNewRoute() throws Exception {
        // the caller route's producer has found the first target
        assertThat(template.requestBody("direct:caller", "x", String.class)).isEqualTo("first");

        camel.getRouteController().stopRoute("target");
        camel.removeRoute("target");
        addTarget("second");

        direct.holdNextTargetLookup();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(
                () -> template.requestBody("direct:caller", "x", String.class), firstCaller);
        assertThat(direct.inLookup.await(5, TimeUnit.SECONDS)).as("the first caller looks the target up").isTrue();

        assertThat(template.requestBody("direct:caller", "x", String.class))
                .as("the second caller, while the first is still looking").isEqualTo("second");
        direct.hold.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("second");
    }

    @Test
    void aRouteThatIsGoneIsStillRefusedAsCamelRefusesIt() throws Exception {
        assertThat(template.requestBody("direct:caller", "x", String.class)).isEqualTo("first");
        camel.getRouteController().stopRoute("target");
        camel.removeRoute("target");

        assertThatThrownBy(() -> template.requestBody("direct:target?block=false", "x"))
                .isInstanceOf(CamelExecutionException.class)
                .hasCauseInstanceOf(DirectConsumerNotAvailableException.class);
    }

    @Test
    void camelsOwnOptionsStillApply() {
        DirectEndpoint endpoint = camel.getEndpoint("direct:options?block=false&timeout=1234&failIfNoConsumers=false"
                + "&synchronous=true", DirectEndpoint.class);

        SwapSafeDirectComponent asShipped = new SwapSafeDirectComponent();
        asShipped.setCamelContext(camel);
        asShipped.init();
        assertThat(asShipped.getDefaultName()).as("finds Camel's option configurers").isEqualTo("direct");
        assertThat(endpoint.isBlock()).isFalse();
        assertThat(endpoint.getTimeout()).isEqualTo(1234);
        assertThat(endpoint.isFailIfNoConsumers()).isFalse();
        assertThat(endpoint.isSynchronous()).isTrue();
        // no consumer, and told not to fail: the exchange is dropped as Camel's own producer drops it
        assertThat(template.requestBody(endpoint, "x")).isEqualTo("x");
    }

    private void addTarget(String answer) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:target").routeId("target").setBody(constant(answer));
            }
        });
    }

    /** Holds the first look-up of the target, once armed, until the test lets it go. */
    static final class HeldLookup extends SwapSafeDirectComponent {

        final CountDownLatch inLookup = new CountDownLatch(1);
        final CountDownLatch hold = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean();

        void holdNextTargetLookup() {
            armed.set(true);
        }

        @Override
        protected DirectConsumer getConsumer(String key, boolean block, long timeout) throws InterruptedException {
            if (key.endsWith("target") && armed.compareAndSet(true, false)) {
                inLookup.countDown();
                hold.await(10, TimeUnit.SECONDS);
            }
            return super.getConsumer(key, block, timeout);
        }
    }
}
