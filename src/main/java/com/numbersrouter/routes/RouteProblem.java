package com.numbersrouter.routes;

import java.nio.file.Path;

/**
 * One reason a route set was refused: the file (when known), the line (when known) and a message.
 * Printed as {@code routes/orders.camel.yaml:12: message}, the form editors and CI logs link to.
 */
public record RouteProblem(Path file, Integer line, String message) {

    @Override
    public String toString() {
        String where = file == null ? "" : file.toString().replace('\\', '/') + (line == null ? "" : ":" + line) + ": ";
        return where + message;
    }
}
