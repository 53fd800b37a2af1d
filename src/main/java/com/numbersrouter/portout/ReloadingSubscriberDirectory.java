package com.numbersrouter.portout;

import java.util.Optional;
import java.util.function.Supplier;

/** The subscriber directory in force: replaced as a whole when a saved file loads, never half-updated. */
public final class ReloadingSubscriberDirectory implements SubscriberDirectory {

    private final Supplier<? extends SubscriberDirectory> current;

    public ReloadingSubscriberDirectory(Supplier<? extends SubscriberDirectory> current) {
        this.current = current;
    }

    @Override
    public boolean answersFromMemory() {
        return current.get().answersFromMemory();
    }

    @Override
    public Optional<SubscriberRecord> find(String normalisedTn) {
        return current.get().find(normalisedTn);
    }

    /** The file in force now: a reload while a request is judged does not reach it. */
    @Override
    public SubscriberDirectory snapshot() {
        return current.get();
    }

    @Override
    public String sourceName() {
        return current.get().sourceName();
    }
}
