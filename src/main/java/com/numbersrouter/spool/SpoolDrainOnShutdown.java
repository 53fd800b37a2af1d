package com.numbersrouter.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown, in order: the web server stops taking requests and finishes the ones in flight (Spring
 * Boot's graceful shutdown), then the spool is offered to the broker one last time, then Camel and the broker
 * stop. Whatever the broker still cannot take stays on disk for the next run.
 */
public class SpoolDrainOnShutdown implements SmartLifecycle {

    /** After Spring Boot's graceful web shutdown (MAX - 1024), before Camel stops (MAX - 2049). */
    static final int PHASE = Integer.MAX_VALUE - 1500;
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDrainOnShutdown.class);

    private final NotificationSpool spool;
    private volatile boolean running;

    public SpoolDrainOnShutdown(NotificationSpool spool) {
        this.spool = spool;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (spool.isEmpty()) {
            return;
        }
        int forwarded = spool.forwardTo("direct:spooled-notification");
        LOG.info("Shutdown: forwarded {} spooled notification(s); {} stay on disk for the next run",
                forwarded, spool.depth());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
