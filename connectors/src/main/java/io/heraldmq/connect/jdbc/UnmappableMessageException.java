package io.heraldmq.connect.jdbc;

/**
 * A message that cannot become a row: its body is not text or bytes, or a value does not convert to its column's
 * type. The sink logs it, counts it as dropped and goes on; it is never retried.
 */
final class UnmappableMessageException extends Exception {
    UnmappableMessageException(String message) {
        super(message, null, false, false);
    }
}
