package com.numbersrouter.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.numbersrouter.broker.BrokerGroupCommit;
import com.numbersrouter.infra.PrivateFolders;
import com.numbersrouter.ingress.WebhookClassifier;
import com.numbersrouter.xml.NotificationHeaders;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, durable first-in-first-out store for order and event notifications the broker could not take.
 * Bandwidth never retries a notification, so a 200 must mean "stored": a spooled notification is written to a
 * temporary file, forced to disk, atomically renamed and its directory forced, all before the 200.
 *
 * <p>File names sort in arrival order ({@code <received-millis>-<sequence>.xml}); the forwarder offers them to the
 * broker oldest first and stops at the first failure, so order is kept. While anything is spooled, new
 * notifications are spooled behind it (see the intake routes), so they cannot overtake older ones.
 */
public class NotificationSpool {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationSpool.class);
    static final String SUFFIX = ".xml";
    static final String UNREADABLE = "unreadable";

    private final Path directory;
    private final int maxFiles;
    private final ProducerTemplate producer;
    private final BrokerGroupCommit groupCommit;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong depth = new AtomicLong();
    /** Notifications being written to the spool now: counted as spooled by {@link #isEmpty()} already. */
    private final AtomicLong storing = new AtomicLong();
    /** Held while a stored file is renamed into place and counted, and while the forwarder counts the folder. */
    private final Object counting = new Object();
    /**
     * Files forwarded (the broker has them) that could not be deleted: not offered again, which would store them a
     * second time every round; deleted as soon as the disk lets it. Only a restart in between sends them again.
     */
    private final Set<Path> forwardedNotDeleted = ConcurrentHashMap.newKeySet();
    /** The last round could not list the folder (the forwarder's thread only). */
    private boolean unlisted;

    public NotificationSpool(SpoolProperties properties, ProducerTemplate producer, BrokerGroupCommit groupCommit) {
        this.producer = producer;
        this.groupCommit = groupCommit;
        this.directory = properties.directory();
        this.maxFiles = properties.maxFiles();
        try {
            PrivateFolders.create(directory);
            try (Stream<Path> stale = Files.list(directory)) {
                // a crash between write and rename leaves a temp file: its notification was never acknowledged
                for (Path tmp : stale.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(tmp);
                }
            }
            depth.set(files().size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use spool directory " + directory, e);
        }
        if (depth.get() > 0) {
            LOG.warn("{} notification(s) waiting in the spool {} from a previous run; they are forwarded first",
                    depth.get(), directory);
        }
    }

    /** Stores the exchange's body durably. Fails (and the caller answers 503) when the spool is full or the disk fails. */
    public void store(Exchange exchange) throws IOException {
        // Counted from the start, not once the file is on disk (a forced write and rename later): meanwhile the
        // forwarder may empty the folder, and a notification that came after this one must still see the spool in use
        // and queue behind it rather than go straight to the broker ahead of it.
        if (storing.incrementAndGet() + depth.get() > maxFiles) {
            storing.decrementAndGet();
            throw new SpoolFullException("The local spool holds " + maxFiles + " notifications (numbers-router.spool.max-files)");
        }
        try {
            write(exchange);
        } finally {
            storing.decrementAndGet();
        }
    }

    private void write(Exchange exchange) throws IOException {
        // The bytes as received: by now the body may be the decoded text (order-to-broker), whose encoding no longer
        // matches the XML declaration (UTF-16, ISO-8859-1), and the forwarder re-reads the file as bytes.
        byte[] body = exchange.getVariable(WebhookClassifier.RECEIVED_BYTES, byte[].class);
        if (body == null) {
            body = exchange.getMessage().getBody(byte[].class);
        }
        long received = exchange.getClock().getCreated();
        String name = String.format("%013d-%012d", received, sequence.incrementAndGet());
        Path tmp = directory.resolve(name + ".tmp");
        Path target = directory.resolve(name + SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(body);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        // renamed and counted together, so that the forwarder's count of the folder (forwardTo) sees both or neither
        synchronized (counting) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            depth.incrementAndGet();
        }
        forceDirectory();
    }

    /**
     * Offers spooled notifications, oldest first, to {@code endpoint}; each file is deleted once the broker has it.
     * Stops at the first failure, so nothing overtakes it. Returns how many were forwarded.
     * <p>
     * The files go in batches: each {@code jms-group-commit:} step of the batch's exchanges adds its message to one
     * broker transaction ({@link BrokerGroupCommit.Batch}), committed once the batch's files have been through the
     * route, and only then are those files deleted. One file per transaction drained a few hundred a second. A batch
     * holds whole notifications, at most {@code max-messages} messages: a route that sends each notification to several
     * destinations (docs/how-to) has all of a notification's sends in one transaction. A file whose route sent nothing
     * through the batch (the unclassified queue's plain send) is done when its route returns, and deleted then.
     */
    public synchronized int forwardTo(String endpoint) {
        forwardedNotDeleted.removeIf(this::deletedNow);
        int forwarded = 0;
        List<Path> files;
        try {
            // The depth is the folder's: files put there or taken away by hand (moved back from unreadable/, copied
            // from another node, deleted) would otherwise leave the count wrong, and intake's "spool in use" with it.
            synchronized (counting) {
                files = files();
                depth.set(files.size());
            }
        } catch (UncheckedIOException e) {
            // once per spell, not every second (nor a stack trace from the timer route's error handler)
            if (!unlisted) {
                LOG.error("Cannot list the spool folder {} ({}): forwarding paused until it can", directory,
                        e.getCause().getMessage());
            }
            unlisted = true;
            return 0;
        }
        if (unlisted) {
            LOG.info("Spool folder {} readable again: forwarding", directory);
            unlisted = false;
        }
        int next = 0;
        while (next < files.size()) {
            BrokerGroupCommit.Batch batch = groupCommit.batch();
            List<Path> batched = new ArrayList<>();
            List<Integer> ends = new ArrayList<>(); // the batch's size after each batched file's messages
            boolean paused = false;
            while (next < files.size() && batch.size() < batch.capacity()) {
                Path file = files.get(next);
                byte[] body;
                try {
                    body = Files.readAllBytes(file);
                } catch (IOException unreadable) {
                    if (!setAside(file, unreadable)) {
                        paused = true;
                        break;
                    }
                    next++;
                    continue;
                }
                int before = batch.size();
                if (!route(endpoint, file, body, batch)) {
                    batch.truncate(before); // what its route added before failing is not sent: the file stays
                    paused = true;
                    break;
                }
                if (batch.size() == before) {
                    delete(file);
                    forwarded++;
                } else if (batch.size() > batch.capacity() && !batched.isEmpty()) {
                    batch.truncate(before); // it would span two transactions: it opens the next batch instead
                    break;
                } else {
                    batched.add(file);
                    ends.add(batch.size());
                }
                next++;
            }
            if (!batched.isEmpty()) {
                boolean committed = true;
                try {
                    batch.commit();
                } catch (JMSException e) {
                    LOG.debug("Spool forwarding paused: {}", e.getMessage());
                    committed = false;
                }
                // Even after a failure: a file whose messages all went in a transaction that did commit (more than one
                // committer) is done, and sending it again would only duplicate it.
                int from = 0;
                for (int i = 0; i < batched.size(); i++) {
                    if (batch.committed(from, ends.get(i))) {
                        delete(batched.get(i));
                        forwarded++;
                    }
                    from = ends.get(i);
                }
                if (!committed) {
                    return forwarded;
                }
            }
            if (paused) {
                return forwarded;
            }
        }
        return forwarded;
    }

    /** Runs one spooled file through the route with the batch; false if its route failed. */
    private boolean route(String endpoint, Path file, byte[] body, BrokerGroupCommit.Batch batch) {
        Instant received = receivedAt(file);
        Exchange result = producer.send(endpoint, exchange -> {
            exchange.setProperty(BrokerGroupCommit.BATCH_PROPERTY, batch);
            exchange.getMessage().setBody(body);
            exchange.setVariable("receivedAt", NotificationHeaders.formatReceivedAt(received));
        });
        if (result.isFailed()) {
            LOG.debug("Spool forwarding paused: {}", result.getException() == null ? "failed" : result.getException().getMessage());
            return false;
        }
        return true;
    }

    /** Once the broker has the file's notification: it leaves the spool now, whether or not the disk can delete it. */
    private void delete(Path file) {
        try {
            deleteFile(file);
        } catch (IOException e) {
            // Forwarded but still on disk: not offered again (it would be stored a second time every round), deleted
            // at the next round that can. A restart before then forwards it once more.
            LOG.error("Cannot delete forwarded notification {}: {}; it is not forwarded again, and is deleted as soon"
                    + " as the disk allows (a restart before then forwards it once more)", file.getFileName(),
                    e.getMessage());
            forwardedNotDeleted.add(file);
        }
        depth.decrementAndGet();
    }

    /** The file's deletion (a method of its own for the tests, which cannot make a disk refuse one). */
    void deleteFile(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    private boolean deletedNow(Path file) {
        try {
            deleteFile(file);
            return true;
        } catch (IOException stillNot) {
            return false;
        }
    }

    /**
     * A spooled file that cannot be read (permissions, a damaged disk block, a folder by that name) would hold every
     * notification behind it for ever: it is moved to {@code unreadable/} in the spool folder, kept for an operator
     * (the spool's health shows the count), and the others go on. False if it cannot be moved either: the spool
     * pauses there, as for a broker failure.
     */
    private boolean setAside(Path file, IOException why) {
        Path unreadable = directory.resolve(UNREADABLE);
        try {
            PrivateFolders.create(unreadable);
            Files.move(file, unreadable.resolve(file.getFileName()));
        } catch (IOException e) {
            LOG.error("Cannot read spooled notification {} ({}) nor move it aside ({}): forwarding paused",
                    file.getFileName(), why.getMessage(), e.getMessage());
            return false;
        }
        depth.decrementAndGet();
        LOG.error("Cannot read spooled notification {} ({}): NOT forwarded, moved to {} for an operator to forward"
                + " by hand once readable", file.getFileName(), why.getMessage(), unreadable);
        return true;
    }

    /**
     * Spooled files set aside as unreadable, waiting for an operator; -1 when the folder is there but cannot be listed
     * (the fault that set them aside may be the one hiding them: not 0, which would say there are none).
     */
    public long unreadable() {
        Path unreadable = directory.resolve(UNREADABLE);
        if (!Files.isDirectory(unreadable)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(unreadable)) {
            return files.count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Nothing spooled and nothing being spooled: a new notification may go straight to the broker. */
    public boolean isEmpty() {
        return depth.get() + storing.get() <= 0;
    }

    public long depth() {
        return Math.max(0, depth.get());
    }

    public Path directory() {
        return directory;
    }

    /** Oldest spooled notification's name (its arrival time), for the health endpoint; null when empty. */
    public Instant oldest() {
        List<Path> files = files();
        if (files.isEmpty()) {
            return null;
        }
        return receivedAt(files.get(0));
    }

    private static Instant receivedAt(Path file) {
        String name = file.getFileName().toString();
        try {
            return Instant.ofEpochMilli(Long.parseLong(name.substring(0, name.indexOf('-'))));
        } catch (NumberFormatException | IndexOutOfBoundsException notNamedByTheSpool) {
            // a file named by hand (copied in from another node, say): forwarded like the others, with its file time
            try {
                return Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                return Instant.now();
            }
        }
    }

    private List<Path> files() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .filter(p -> !forwardedNotDeleted.contains(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void forceDirectory() {
        // Makes the rename itself durable; not supported on every platform, where the file's own force must do.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory as a channel
        }
    }

    /** The spool reached its bound: intake answers 503 + Retry-After rather than filling the disk. */
    public static class SpoolFullException extends IOException {
        public SpoolFullException(String message) {
            super(message);
        }
    }
}
