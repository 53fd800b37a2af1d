package com.numbersrouter.portout.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This host's name, for the audit records of a node that was given none. Read without a DNS look-up: a resolver that
 * does not answer would hold the start for its timeout. A container's (a pod's) name is in {@code HOSTNAME}.
 */
final class HostName {

    private HostName() {
    }

    static String local() {
        String variable = System.getenv("HOSTNAME");
        if (variable != null && !variable.isBlank()) {
            return variable.strip();
        }
        try {
            String file = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            if (!file.isEmpty()) {
                return file;
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or unreadable: the name below says so
        }
        return "unknown";
    }
}
