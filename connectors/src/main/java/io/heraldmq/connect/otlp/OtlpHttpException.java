package io.heraldmq.connect.otlp;

/** A request answered with an HTTP error: its status and what to tell the sender (and log). */
final class OtlpHttpException extends Exception {
    private final int status;

    OtlpHttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
