package com.numbersrouter.portout;

import java.nio.file.Path;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code numbers-router.portout.*}. The {@code @DefaultValue}s are the only place defaults live; tests reach them
 * through Spring's {@code Binder} rather than repeating them.
 *
 * @param subscribersFile      CSV subscriber directory, relative to the working directory unless absolute
 * @param requireAccountNumber deny (7510) when the request has no account number
 * @param requirePin           deny (7512) when the request has no PIN and a requested number has one on file
 * @param requireZipCode       deny (7514) when the request has no ZIP code
 * @param checkSubscriberName  compare the subscriber name (7519); off because carriers rarely send it verbatim
 * @param maxTelephoneNumbers  deny (7517) requests with more numbers than this
 */
@ConfigurationProperties("numbers-router.portout")
public record PortOutProperties(
        @DefaultValue("config/subscribers.csv") Path subscribersFile,
        @DefaultValue("true") boolean requireAccountNumber,
        @DefaultValue("true") boolean requirePin,
        @DefaultValue("true") boolean requireZipCode,
        @DefaultValue("false") boolean checkSubscriberName,
        @DefaultValue("100") int maxTelephoneNumbers) {

    public PortOutProperties {
        Objects.requireNonNull(subscribersFile, "numbers-router.portout.subscribers-file");
        if (maxTelephoneNumbers < 1) {
            throw new IllegalArgumentException("numbers-router.portout.max-telephone-numbers must be at least 1");
        }
    }
}
