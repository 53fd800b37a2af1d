package com.numbersrouter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * For tests of the zero-config node: its in-process broker gets a fresh data folder and its in-process SMTP server a
 * free port, so neither meets another test's (or a running node's) store and port.
 */
public final class InProcessServers {

    private InProcessServers() {
    }

    public static void outOfTheWay(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("numbers-router-data");
        // a folder the node creates itself, as it does data/activemq
        registry.add("numbers-router.embedded-broker.data-directory", () -> data.resolve("activemq").toString());
        int smtpPort = FreePort.find();
        registry.add("numbers-router.embedded-smtp.port", () -> smtpPort);
    }
}
