package com.numbersrouter.support;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;

/** A real ActiveMQ Classic broker on a TCP port of loopback, and a plain JMS client to read what the node sent. */
public final class TestBroker {

    private final BrokerService broker;
    private final String url;

    private TestBroker(BrokerService broker, String url) {
        this.broker = broker;
        this.url = url;
    }

    /** On a port below the ephemeral range ({@link FreePort}), so a node reconnecting to it after a stop cannot take it. */
    public static TestBroker start(String name) {
        return start(name, FreePort.find());
    }

    public static TestBroker start(String name, int port) {
        return start(name, port, new BrokerPlugin[0]);
    }

    /** A broker as operators run one for several applications: with plugins (authentication, authorization). */
    public static TestBroker start(String name, BrokerPlugin... plugins) {
        return start(name, FreePort.find(), plugins);
    }

    /**
     * A broker as ActiveMQ ships it, with a KahaDB store in {@code store} of at most {@code storeLimitBytes}: once that
     * is full, its producer flow control holds every persistent send until there is room again ({@link #setStoreLimit}).
     */
    public static TestBroker startPersistent(String name, Path store, long storeLimitBytes) {
        return start(name, FreePort.find(), new BrokerPlugin[0], broker -> {
            broker.setPersistent(true);
            broker.setDataDirectoryFile(store.toFile());
            broker.getSystemUsage().getStoreUsage().setLimit(storeLimitBytes);
        });
    }

    private static TestBroker start(String name, int port, BrokerPlugin[] plugins) {
        return start(name, port, plugins, broker -> broker.setPersistent(false));
    }

    private static TestBroker start(String name, int port, BrokerPlugin[] plugins, Consumer<BrokerService> storage) {
        try {
            BrokerService broker = new BrokerService();
            broker.setBrokerName(name);
            broker.setPlugins(plugins);
            storage.accept(broker);
            broker.setUseJmx(false);
            broker.setUseShutdownHook(false);
            broker.addConnector("tcp://127.0.0.1:" + port);
            broker.start();
            broker.waitUntilStarted();
            URI uri = broker.getTransportConnectors().get(0).getPublishableConnectURI();
            return new TestBroker(broker, "tcp://127.0.0.1:" + uri.getPort());
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the test broker", e);
        }
    }

    /** Gives the store more (or less) room, as an operator who frees or adds disk would. */
    public void setStoreLimit(long bytes) {
        broker.getSystemUsage().getStoreUsage().setLimit(bytes);
    }

    public boolean storeFull() {
        return broker.getSystemUsage().getStoreUsage().isFull();
    }

    public String url() {
        return url;
    }

    public int port() {
        return URI.create(url).getPort();
    }

    public void stop() {
        try {
            broker.stop();
            broker.waitUntilStopped();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Receives one message from {@code queue} over TCP, waiting up to {@code timeoutMillis}; null if none came. */
    public Message receive(String queue, String selector, long timeoutMillis) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setTrustAllPackages(false);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = selector == null
                    ? session.createConsumer(session.createQueue(queue))
                    : session.createConsumer(session.createQueue(queue), selector);
            return consumer.receive(timeoutMillis);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public Message receive(String queue) {
        return receive(queue, null, 10_000);
    }

    /**
     * Receives {@code count} messages from {@code queue} (waiting up to 30 s in all) and returns their
     * {@code property} values in arrival order.
     */
    public List<String> awaitProperty(String queue, String property, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (values.size() < count && System.nanoTime() < deadline) {
            Message message = receive(queue, null, 500);
            if (message != null) {
                try {
                    values.add(message.getStringProperty(property));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    /**
     * The messages on {@code queue}, in order, when the broker counts exactly {@code count} there: for what must be on
     * the broker already (a webhook's 200 comes after its commit), so the count is the broker's, not a quiet gap.
     */
    public List<Message> takeExactly(String queue, int count) {
        long held = queueSize(queue);
        if (held != count) {
            throw new AssertionError("queue " + queue + " holds " + held + " message(s), expected " + count);
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setTrustAllPackages(false);
        List<Message> taken = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (taken.size() < count) {
                Message message = consumer.receive(10_000);
                if (message == null) {
                    throw new AssertionError("queue " + queue + ": " + taken.size() + " of " + count + " received");
                }
                taken.add(message);
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        return taken;
    }

    /** Messages waiting on a queue, as the broker counts them (0 for a queue it does not have). */
    public long queueSize(String queue) {
        try {
            org.apache.activemq.broker.region.Destination destination =
                    broker.getDestination(new org.apache.activemq.command.ActiveMQQueue(queue));
            return destination == null ? 0 : destination.getDestinationStatistics().getMessages().getCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the messages waiting on a queue, read with a queue browser (which takes nothing). */
    public List<String> messageIds(String queue) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<String> ids = new ArrayList<>();
            java.util.Enumeration<?> messages = session.createBrowser(session.createQueue(queue)).getEnumeration();
            while (messages.hasMoreElements()) {
                ids.add(((Message) messages.nextElement()).getJMSMessageID());
            }
            return ids;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empties a queue on the broker itself, however many messages it holds. */
    public void purge(String queue) {
        try {
            org.apache.activemq.broker.region.Destination destination =
                    broker.getDestination(new org.apache.activemq.command.ActiveMQQueue(queue));
            if (destination instanceof org.apache.activemq.broker.region.Queue messages) {
                messages.purge();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Empties a queue without waiting long (it stops at the first 200 ms without a message), so one test's leftovers
     * cannot satisfy another's expectations. For clean-up: to count what a test sent, use {@link #takeExactly}.
     */
    public List<Message> drain(String queue) {
        List<Message> drained = new ArrayList<>();
        Message message;
        while ((message = receive(queue, null, 200)) != null) {
            drained.add(message);
        }
        return drained;
    }
}
