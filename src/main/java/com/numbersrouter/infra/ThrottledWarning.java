package com.numbersrouter.infra;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning that a flood cannot turn into a log line per request: the first occurrence is written at once, then at
 * most one line per period, with how many came since the last line. Each occurrence may be marked (for example "with
 * a configured username"); the line gets both counts, read together.
 */
public final class ThrottledWarning {

    /** Writes the line: {@code count} occurrences since the last line, {@code marked} of them marked. */
    @FunctionalInterface
    public interface Line {
        void write(long count, long marked);
    }

    /** Both counts in one value (occurrences in the high half, marked ones in the low), so a line reads them together. */
    private static final long ONE = 1L << 32;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong counts = new AtomicLong();
    private final AtomicLong lastWritten;

    public ThrottledWarning(Duration every) {
        this(every, System::nanoTime);
    }

    ThrottledWarning(Duration every, LongSupplier nanoTime) {
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
        this.lastWritten = new AtomicLong(nanoTime.getAsLong() - everyNanos);
    }

    public void seen(boolean marked, Line line) {
        counts.addAndGet(marked ? ONE + 1 : ONE);
        long last = lastWritten.get();
        long now = nanoTime.getAsLong();
        if (now - last >= everyNanos && lastWritten.compareAndSet(last, now)) {
            long taken = counts.getAndSet(0);
            line.write(taken >>> 32, taken & 0xFFFF_FFFFL);
        }
    }
}
