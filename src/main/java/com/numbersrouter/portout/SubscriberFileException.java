package com.numbersrouter.portout;

/**
 * The subscriber file cannot be trusted, so the node must not start. Messages name the file, line and column but
 * never a field's content: the file holds CPNI and PIN hashes, and start-up errors end up in shared logs.
 */
public class SubscriberFileException extends RuntimeException {

    private final int lineNumber;

    public SubscriberFileException(String source, int lineNumber, String problem) {
        super(source + " line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    public int lineNumber() {
        return lineNumber;
    }
}
