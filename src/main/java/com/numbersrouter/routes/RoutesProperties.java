package com.numbersrouter.routes;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The route files and how edits to them are picked up.
 *
 * @param directory    folder of {@code *.camel.yaml} route files, sub-folders included
 * @param watch        reload the routes, and the config files (rules, subscribers), when a file is saved (validated
 *                     first; the last good ones keep serving)
 * @param pollInterval how often the folder and the config files are looked at
 * @param quietPeriod  how long the folder must stay unchanged before a reload, so a multi-file save
 *                     (an editor, {@code git checkout}) becomes one swap
 * @param drainTimeout how long a swap waits for the webhooks in progress to be answered (new ones wait meanwhile);
 *                     if they take longer, the swap is tried again at the next look
 * @param stopTimeout  how long a route being replaced may finish the work it is doing that is not a webhook (an alert
 *                     in SMTP retry, the spool forwarder); then it is stopped anyway. Webhooks wait for the swap, so
 *                     this bounds their wait. Nothing is lost: the alert's event goes back to its queue for the new
 *                     route, and a spooled file stays until it is forwarded
 */
@ConfigurationProperties("numbers-router.routes")
public record RoutesProperties(
        @DefaultValue("routes") Path directory,
        @DefaultValue("true") boolean watch,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("600ms") Duration quietPeriod,
        @DefaultValue("2s") Duration drainTimeout,
        @DefaultValue("2s") Duration stopTimeout) {
}
