package com.numbersrouter.operations;

import java.io.IOException;
import java.sql.SQLException;

import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionChainPrinterTest {

    private final ExceptionChainPrinter printer = new ExceptionChainPrinter();

    @Test
    void anExceptionIsItsClassAndMessageThenEachCausesWithoutFrames() {
        JMSException commit = new JMSException("COMMIT FAILED: Transaction marked rollback only");
        commit.initCause(new IOException("Persistent store is Full, 100% of 1048576"));

        assertThat(printer.printStackTraceToString(commit)).isEqualTo("""
                jakarta.jms.JMSException: COMMIT FAILED: Transaction marked rollback only
                Caused by: java.io.IOException: Persistent store is Full, 100% of 1048576
                """);
    }

    @Test
    void aSuppressedExceptionIsPrintedUnderTheOneItHidIn() {
        IllegalStateException send = new IllegalStateException("send failed", new IOException("connection reset"));
        send.addSuppressed(new JMSException("close failed"));

        assertThat(printer.printStackTraceToString(send)).isEqualTo("""
                java.lang.IllegalStateException: send failed
                \tSuppressed: jakarta.jms.JMSException: close failed
                Caused by: java.io.IOException: connection reset
                """);
    }

    @Test
    void aCauseThatLeadsBackIsPrintedOnce() {
        SQLException first = new SQLException("connection reset");
        IllegalStateException second = new IllegalStateException("query failed", first);
        first.initCause(second);

        assertThat(printer.printStackTraceToString(second)).isEqualTo("""
                java.lang.IllegalStateException: query failed
                Caused by: java.sql.SQLException: connection reset
                """);
    }
}
