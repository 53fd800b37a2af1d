package com.numbersrouter.infra;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A clock for windows of time (a lockout's 30 minutes, a remembered answer's, an alert storm's): the wall-clock time
 * it was made at, advanced by {@link System#nanoTime()}, so that a step of the host's clock (a time server's
 * correction, a virtual machine resumed) neither lifts every lock at once nor holds them for the length of the step.
 * It reads as the wall clock until the wall clock is stepped; never use it for a time that is recorded (an audit
 * record's {@code decidedAt} keeps the wall clock).
 */
public final class ElapsedClock extends Clock {

    private final Instant origin;
    private final long originNanos;
    private final LongSupplier nanos;

    public ElapsedClock() {
        this(Instant.now(), System::nanoTime);
    }

    ElapsedClock(Instant origin, LongSupplier nanos) {
        this.origin = origin;
        this.nanos = nanos;
        this.originNanos = nanos.getAsLong();
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(nanos.getAsLong() - originNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("an elapsed-time clock is UTC only");
    }
}
