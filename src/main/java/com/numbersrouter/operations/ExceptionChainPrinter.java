package com.numbersrouter.operations;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.springframework.boot.logging.StackTracePrinter;

/**
 * How an exception appears in a JSON log line ({@code logging.structured.json.stacktrace.printer}): its class and
 * message, then each cause's and each suppressed exception's, one line each, without the stack frames. Text logs get the same from
 * {@code logging.exception-conversion-word: "%wEx{0}"} (application.yaml). The chain says what failed and why (a
 * broker's "Persistent store is Full" is the last cause of a failed commit); the frames of a library's internals do
 * not, and the node logs no stack trace (README "Security"). Spring Boot's own printer keeps at least one frame per
 * exception.
 */
public class ExceptionChainPrinter implements StackTracePrinter {

    @Override
    public void printStackTrace(Throwable throwable, Appendable out) throws IOException {
        print(throwable, "", "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** As the text logs print it: each suppressed exception (a failed close, say) indented under the one it hid in. */
    private static void print(Throwable throwable, String label, String indent, Appendable out, Set<Throwable> printed)
            throws IOException {
        for (Throwable cause = throwable; cause != null && printed.add(cause); cause = cause.getCause()) {
            out.append(indent).append(cause == throwable ? label : "Caused by: ").append(cause.toString()).append('\n');
            for (Throwable suppressed : cause.getSuppressed()) {
                print(suppressed, "Suppressed: ", indent + "\t", out, printed);
            }
        }
    }
}
