package com.numbersrouter.spool;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local spool that keeps notifications while the broker cannot take them.
 *
 * @param directory    where spooled notifications are kept, one fsync'd file each
 * @param maxFiles     bound on the spool; beyond it intake answers 503 rather than filling the disk
 * @param forwardEvery how often the spool is offered to the broker again
 */
@ConfigurationProperties("numbers-router.spool")
public record SpoolProperties(
        @DefaultValue("data/spool") Path directory,
        @DefaultValue("100000") int maxFiles,
        @DefaultValue("1s") Duration forwardEvery) {
}
