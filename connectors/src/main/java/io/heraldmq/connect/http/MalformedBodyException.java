package io.heraldmq.connect.http;

/** A request body that does not parse; the message names the line (and column) and is sent back with the 400. */
final class MalformedBodyException extends Exception {
    MalformedBodyException(String message) {
        super(message, null, false, false);
    }
}
