package com.numbersrouter.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * Puts order and event notifications (and port-out decisions, for the feed) on the broker with group commit.
 * <p>
 * A webhook is answered 200 only once its notification is on the broker's disk. Sent one by one, each persistent
 * send is a round trip that waits for the broker's store. Here a committer thread takes every notification that is
 * waiting (up to {@code max-messages}), sends them in one transacted session without waiting, and commits once;
 * each webhook is released when the commit that holds its notification returns. The notifications that arrive
 * during a commit make up the next one, so under light load a transaction holds one message and nothing waits for
 * company. One committer by default: on the in-process broker a second one, sending while the first waits for its
 * commit, made transactions half as large and cost 9% more CPU per order ({@code committers}, README "Capacity").
 * <p>
 * Durability is unchanged: a commit is a synchronous, persistent store on the broker, and no webhook is answered
 * before it. A failed commit fails every webhook in it, and the route keeps those in the local spool.
 * Messages are made by camel-jms's own {@link JmsBinding}, so they carry the same JMS properties as
 * {@code jms:queue:...?jmsMessageType=Text} would give them.
 */
public class BrokerGroupCommit implements DisposableBean {

    static final String QUEUE = "queue:";
    static final String TOPIC = "topic:";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerGroupCommit.class);

    private final ConnectionFactory connectionFactory;
    private final CamelContext camel;
    private final GroupCommitProperties properties;
    private final LinkedBlockingQueue<PendingSend> waiting = new LinkedBlockingQueue<>();
    /**
     * Held while a batch is queued and while a committer gathers its transaction. Queueing a batch is one add per
     * message, and a committer woken by the first one would otherwise commit it alone and the rest in a second
     * transaction (seen in 7 of 150 runs of BrokerGroupCommitTest).
     */
    private final Object gathering = new Object();
    private final Map<String, JmsBinding> bindings = new ConcurrentHashMap<>();
    private final List<Thread> committers = new ArrayList<>();
    private final List<Committer> committerStates = new ArrayList<>();
    private final DistributionSummary commitSize;
    private final Timer committed;
    private final Counter failed;
    private volatile boolean stopping;

    public BrokerGroupCommit(ConnectionFactory connectionFactory, CamelContext camel, GroupCommitProperties properties,
            MeterRegistry meters) {
        this.connectionFactory = connectionFactory;
        this.camel = camel;
        this.properties = properties;
        this.commitSize = DistributionSummary.builder("numbers.router.broker.commit.size")
                .description("Notifications per broker transaction (group commit)")
                .baseUnit("messages")
                .register(meters);
        this.committed = Timer.builder("numbers.router.broker.commit")
                .description("Time to send and commit one broker transaction of notifications")
                .register(meters);
        this.failed = Counter.builder("numbers.router.broker.commit.failures")
                .description("Broker transactions that failed; their notifications were spooled")
                .register(meters);
        for (int i = 1; i <= properties.committers(); i++) {
            Committer state = new Committer();
            committerStates.add(state);
            Thread committer = new Thread(state::commitWhileRunning, "broker-group-commit-" + i);
            committer.setDaemon(true);
            committer.start();
            committers.add(committer);
        }
    }

    /**
     * Sends the exchange's message (body as text, headers as JMS properties), persistent, to the destination
     * ({@code queue:<name>} or {@code topic:<name>}), and returns once the broker has committed it.
     *
     * @throws JMSException when the broker failed the commit or gave no answer in time: the notification is not
     *                      known to be stored, and the caller keeps it (spool)
     */
    public void send(Exchange exchange, String destination) throws JMSException {
        send(exchange, destination, Duration.ZERO);
    }

    /**
     * {@link #send(Exchange, String)}, with a time to live: the broker drops the message once it is that old
     * (JMS expiration). Zero: it never expires, as every order and event.
     */
    public void send(Exchange exchange, String destination, Duration timeToLive) throws JMSException {
        if (stopping) {
            throw new JMSException("The node is stopping: notification not sent to the broker");
        }
        PendingSend pending = new PendingSend(exchange, destination, timeToLive);
        waiting.add(pending);
        Duration timeout = properties.timeout();
        try {
            pending.committed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw asJmsException(e.getCause());
        } catch (TimeoutException e) {
            if (abandon(pending)) {
                throw new JMSException("The broker took no notification within " + timeout + ": not sent");
            }
            // The caller goes on with the exchange (to the spool): not while the committer still reads it.
            awaitExchangeReleased(pending, timeout);
            throw new JMSException("The broker did not confirm the commit within " + timeout
                    + ": it may still store this notification, and the spool will send it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new JMSException("Interrupted while waiting for the broker");
        }
    }

    /**
     * Gives up on a notification no transaction has taken, and takes it out of the queue: with a commit that never
     * returns (a remote broker's flow control, a failover URL without a timeout) nothing else would, and every
     * webhook and spool round after it would leave its exchange there until the heap ran out.
     */
    private boolean abandon(PendingSend pending) {
        if (pending.abandon()) {
            waiting.remove(pending);
            return true;
        }
        return false;
    }

    /**
     * A batch for a caller that has many notifications at once (the port-out decision feed): each
     * {@code jms-group-commit:} step of an exchange carrying the batch in {@link #BATCH_PROPERTY} adds its message
     * to it instead of waiting, and {@link Batch#commit()} then hands them all to the committer together, so they
     * share transactions instead of each waiting for its own: with one committer, a batch of up to
     * {@code max-messages} goes in one transaction (with more committers, two of them may split it).
     */
    public Batch batch() {
        return new Batch();
    }

    /** Exchange property naming the {@link Batch} a {@code jms-group-commit:} step adds its message to. */
    public static final String BATCH_PROPERTY = "NumbersRouterGroupCommitBatch";

    /** Notifications gathered to be committed together; not thread-safe (one caller fills and commits it). */
    public final class Batch {

        private final List<PendingSend> sends = new ArrayList<>();

        void add(Exchange exchange, String destination, Duration timeToLive) {
            // A copy: the exchange goes on through its route before the commit, and later steps may change its
            // headers or body; the message must be what this step saw.
            sends.add(new PendingSend(exchange.copy(), destination, timeToLive));
        }

        public int size() {
            return sends.size();
        }

        /** Most notifications a batch may hold and still go in one transaction (with one committer). */
        public int capacity() {
            return properties.maxMessages();
        }

        /**
         * Whether the messages from {@code from} (inclusive) to {@code to} (exclusive), in the order they were added,
         * are all known to be committed: after a failed {@link #commit()}, some may have gone in a transaction that
         * did (more than one committer, or more than {@link #capacity()} messages).
         */
        public boolean committed(int from, int to) {
            for (PendingSend pending : sends.subList(from, to)) {
                if (!pending.committed.isDone() || pending.committed.isCompletedExceptionally()) {
                    return false;
                }
            }
            return true;
        }

        /** Forgets the notifications added after the first {@code size}: for a caller whose exchange failed after adding some. */
        public void truncate(int size) {
            sends.subList(Math.min(size, sends.size()), sends.size()).clear();
        }

        /**
         * Hands every gathered notification to the committer at once and returns when all are committed.
         *
         * @throws JMSException when any was not committed, or not known to be: some others may have been (they went
         *                      in an earlier transaction), so a caller that sends the batch again may duplicate them
         */
        public void commit() throws JMSException {
            if (stopping) {
                throw new JMSException("The node is stopping: batch not sent to the broker");
            }
            synchronized (gathering) {
                waiting.addAll(sends);
            }
            long deadline = System.nanoTime() + properties.timeout().toNanos();
            JMSException first = null;
            List<PendingSend> inATransaction = new ArrayList<>();
            for (PendingSend pending : sends) {
                try {
                    pending.committed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    first = first != null ? first : asJmsException(e.getCause());
                } catch (TimeoutException e) {
                    if (!abandon(pending)) {
                        inATransaction.add(pending);
                    }
                    first = first != null ? first
                            : new JMSException("The broker did not commit a batch of " + sends.size()
                                    + " notification(s) within " + properties.timeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sends.forEach(BrokerGroupCommit.this::abandon);
                    throw new JMSException("Interrupted while waiting for the broker");
                }
            }
            settle(inATransaction);
            if (first != null) {
                throw first;
            }
        }
    }

    private static void awaitExchangeReleased(PendingSend pending, Duration timeout) throws JMSException {
        try {
            if (!pending.exchangeReleased.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JMSException("The committer still holds the notification after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("Interrupted while waiting for the broker");
        }
    }

    /** Whether a committer has been told its connection was lost and will open a new one (for tests). */
    boolean connectionLossSeen() {
        return committerStates.stream().anyMatch(committer -> committer.connectionLost);
    }

    /**
     * Waits up to one more timeout for the transactions that hold some of a batch's messages to end, so that
     * {@link Batch#committed} tells what they stored: a slow broker's commit (a big transaction, a slow disk) often
     * ends soon after the timeout, and a caller that took those messages for lost would send them again, then again
     * at every round while each transaction outlasts the timeout (the spool's forwarder).
     */
    private void settle(List<PendingSend> inATransaction) throws JMSException {
        long deadline = System.nanoTime() + properties.timeout().toNanos();
        for (PendingSend pending : inATransaction) {
            try {
                pending.committed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException stillUnknown) {
                // failed, or still unknown: not committed as far as the caller can tell
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("Interrupted while waiting for the broker");
            }
        }
    }

    /** Webhooks whose notification no transaction has taken yet. */
    int waiting() {
        return waiting.size();
    }

    private static JMSException asJmsException(Throwable cause) {
        if (cause instanceof JMSException jms) {
            return jms;
        }
        JMSException jms = new JMSException("The broker could not take the notification: " + cause);
        jms.setLinkedException(cause instanceof Exception e ? e : new RuntimeException(cause));
        jms.initCause(cause);
        return jms;
    }

    /** camel-jms's mapping from headers to JMS properties, as the destination's jms: endpoint would apply it. */
    private JmsBinding binding(String destination) {
        return bindings.computeIfAbsent(destination, name -> camel
                .getEndpoint("jms:" + name + "?jmsMessageType=Text", JmsEndpoint.class)
                .getBinding());
    }

    /**
     * Spring destroys this after Camel and the web server have stopped, and before the connection factory: every
     * notification already waiting is still committed.
     */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + properties.timeout().toNanos();
        for (Thread committer : committers) {
            committer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (committer.isAlive()) {
                committer.interrupt();
            }
        }
    }

    /** One committer thread and its own session (a JMS session is single-threaded). */
    private final class Committer {

        private final Map<String, Destination> destinations = new HashMap<>();
        /** Set by the connection's exception listener (the broker's thread), read by the committer. */
        private volatile boolean connectionLost;
        private Connection connection;
        private Session session;
        private MessageProducer producer;

        void commitWhileRunning() {
            List<PendingSend> batch = new ArrayList<>(properties.maxMessages());
            while (!stopping || !waiting.isEmpty()) {
                try {
                    PendingSend first = waiting.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    synchronized (gathering) {
                        waiting.drainTo(batch, properties.maxMessages() - 1);
                    }
                    commit(batch);
                } catch (InterruptedException e) {
                    // destroy() interrupts only after the timeout: what is left is failed and spooled
                    break;
                } catch (RuntimeException | Error e) {
                    // Nothing may end this thread but the node stopping: without it every notification waits for
                    // its timeout and goes to the spool, which then cannot drain either.
                    LOG.error("Group commit failed unexpectedly: {}", e.toString());
                    batch.forEach(p -> {
                        p.committed.completeExceptionally(e);
                        p.exchangeReleased.countDown();
                    });
                } finally {
                    batch.clear();
                }
            }
            closeSession();
            closeConnection();
        }

        private void commit(List<PendingSend> batch) {
            List<PendingSend> taken = new ArrayList<>(batch.size());
            for (PendingSend pending : batch) {
                if (pending.take()) {
                    taken.add(pending);
                }
            }
            if (taken.isEmpty()) {
                return;
            }
            long start = System.nanoTime();
            List<PendingSend> sent = new ArrayList<>(taken.size());
            try {
                Session session = session();
                for (PendingSend pending : taken) {
                    Message message;
                    try {
                        message = binding(pending.destination).makeJmsMessage(pending.exchange, session);
                    } catch (RuntimeException e) {
                        // this notification's content, not the broker: fail it alone
                        pending.committed.completeExceptionally(e);
                        continue;
                    } finally {
                        pending.exchangeReleased.countDown();
                    }
                    producer.send(destination(session, pending.destination), message, DeliveryMode.PERSISTENT,
                            Message.DEFAULT_PRIORITY, pending.timeToLiveMillis);
                    sent.add(pending);
                }
                session.commit();
                committed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                commitSize.record(sent.size());
                sent.forEach(pending -> pending.committed.complete(null));
            } catch (JMSException | RuntimeException | Error e) {
                // An Error too (a stack overflow, direct memory exhausted): this transaction's notifications fail (to
                // the spool) and the session that may hold some of their sends uncommitted is closed, which rolls
                // them back; the committer goes on with the next transaction. A heap exhausted ends the JVM first
                // (-XX:+ExitOnOutOfMemoryError).
                failed.increment();
                // The last cause says why (a full store: "Persistent store is Full"); the first is often only
                // "COMMIT FAILED: Transaction marked rollback only".
                LOG.warn("Broker transaction of {} notification(s) failed: {}{}", taken.size(), e,
                        rootCause(e) == e ? "" : " (cause: " + rootCause(e) + ")");
                discardSession();
                for (PendingSend pending : taken) {
                    pending.committed.completeExceptionally(e);
                }
            } finally {
                taken.forEach(pending -> pending.exchangeReleased.countDown());
            }
        }

        private Session session() throws JMSException {
            if (connectionLost) {
                // The broker went away since the last transaction (a restart): a fresh connection now, before this
                // transaction's sends, rather than failing it to the spool on the dead one.
                connectionLost = false;
                discardSession();
            }
            if (session == null) {
                if (connection == null) {
                    connection = connectionFactory.createConnection();
                    listenForLoss(connection);
                }
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(null);
                destinations.clear();
            }
            return session;
        }

        private void listenForLoss(Connection connection) {
            try {
                connection.setExceptionListener(lost -> connectionLost = true);
            } catch (JMSException | RuntimeException unsupported) {
                // a shared connection (another broker's factory) keeps its own listener: the first transaction after a
                // loss then fails to the spool and the next one reconnects, as before
                LOG.debug("No exception listener on the group-commit connection: {}", unsupported.toString());
            }
        }

        private Destination destination(Session session, String destination) throws JMSException {
            Destination resolved = destinations.get(destination);
            if (resolved == null) {
                resolved = destination.startsWith(TOPIC)
                        ? session.createTopic(destination.substring(TOPIC.length()))
                        : session.createQueue(destination.substring(QUEUE.length()));
                destinations.put(destination, resolved);
            }
            return resolved;
        }

        /** The connection may be broken too: the next transaction opens a new one. */
        private void discardSession() {
            closeSession();
            closeConnection();
            if (connectionFactory instanceof SingleConnectionFactory shared) {
                shared.resetConnection();
            }
        }

        private void closeSession() {
            if (session != null) {
                try {
                    session.close(); // rolls back what was not committed
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("Closing the group-commit session: {}", e.toString());
                }
                session = null;
                producer = null;
            }
        }

        private void closeConnection() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("Closing the group-commit connection: {}", e.toString());
                }
                connection = null;
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
