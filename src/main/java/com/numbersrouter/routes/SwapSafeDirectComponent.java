package com.numbersrouter.routes;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Producer;
import org.apache.camel.component.direct.DirectComponent;
import org.apache.camel.component.direct.DirectConsumer;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.component.direct.DirectEndpoint;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.util.StringHelper;

/**
 * Camel's {@code direct} component, with producers that never call a route that was swapped out.
 *
 * <p>Camel 4.17's {@code DirectProducer} remembers the consumer it last found and a counter of consumer changes in
 * two separate fields, and writes the counter first. When a route is replaced, the first caller afterwards updates
 * the counter, then looks the new consumer up; a second caller in between sees the new counter with the old consumer
 * and calls the route that was removed, which refuses the exchange ({@code RejectedExecutionException}). After a
 * route swap every webhook held by {@link RouteSwapGate} is let go at once, so that is where it happens: a webhook
 * answered 500, not stored (seen once in CI; about one swap in a thousand with eight callers in a unit test).
 *
 * <p>Here the consumer and the count it was found at are one immutable pair, and the count is read before the
 * lookup: a caller either uses a pair that is current or looks the consumer up itself. Everything else (blocking
 * for a consumer, timeouts, {@code failIfNoConsumers}, synchronous endpoints) is Camel's own.
 */
// the name Camel finds its generated option configurers by (the annotation on DirectComponent is not inherited)
@org.apache.camel.spi.annotations.Component("direct")
public class SwapSafeDirectComponent extends DirectComponent {

    /** Bumped after every consumer change, so a caller that reads the new count also finds the new consumer. */
    private final AtomicInteger changes = new AtomicInteger();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DirectEndpoint endpoint = new SwapSafeEndpoint(uri, this);
        endpoint.setBlock(isBlock());
        endpoint.setTimeout(getTimeout());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    public void addConsumer(String key, DirectConsumer consumer) {
        super.addConsumer(key, consumer);
        changes.incrementAndGet();
    }

    @Override
    public void removeConsumer(String key, DirectConsumer consumer) {
        super.removeConsumer(key, consumer);
        changes.incrementAndGet();
    }

    private DirectConsumer find(String key, boolean block, long timeout) throws InterruptedException {
        return getConsumer(key, block, timeout);
    }

    private static final class SwapSafeEndpoint extends DirectEndpoint {

        private final String key;

        SwapSafeEndpoint(String uri, SwapSafeDirectComponent component) {
            super(uri, component);
            this.key = StringHelper.before(uri, "?", uri); // as DirectEndpoint keys its consumer
        }

        @Override
        public Producer createProducer() {
            return new SwapSafeProducer(this, key);
        }
    }

    /** A consumer and the count of consumer changes it was found at. */
    private record Found(int changes, DirectConsumer consumer) {
    }

    private static final class SwapSafeProducer extends DefaultAsyncProducer {

        private final DirectEndpoint endpoint;
        private final SwapSafeDirectComponent component;
        private final String key;
        private volatile Found found;

        SwapSafeProducer(SwapSafeEndpoint endpoint, String key) {
            super(endpoint);
            this.endpoint = endpoint;
            this.component = (SwapSafeDirectComponent) endpoint.getComponent();
            this.key = key;
        }

        private DirectConsumer consumer() throws InterruptedException {
            int now = component.changes.get();
            Found last = found;
            if (last == null || last.consumer() == null || last.changes() != now) {
                last = new Found(now, component.find(key, endpoint.isBlock(), endpoint.getTimeout()));
                found = last;
            }
            return last.consumer();
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            try {
                DirectConsumer consumer = consumer();
                if (consumer == null) {
                    if (endpoint.isFailIfNoConsumers()) {
                        exchange.setException(new DirectConsumerNotAvailableException(
                                "No consumers available on endpoint: " + endpoint, exchange));
                    }
                    callback.done(true);
                    return true;
                }
                if (endpoint.isSynchronous() || consumer.getEndpoint().isSynchronous()) {
                    consumer.getProcessor().process(exchange);
                    callback.done(true);
                    return true;
                }
                // as Camel's DirectProducer: lets tracing close the client scope it opened, on this thread
                if (exchange.getProperty(ExchangePropertyKey.OTEL_ACTIVE_SPAN) != null) {
                    exchange.setProperty(ExchangePropertyKey.OTEL_CLOSE_CLIENT_SCOPE, Boolean.TRUE);
                }
                return consumer.getAsyncProcessor().process(exchange, callback);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.setException(e);
                callback.done(true);
                return true;
            } catch (Exception e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
        }
    }
}
