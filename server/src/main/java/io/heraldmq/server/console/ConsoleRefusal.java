package io.heraldmq.server.console;

/** A console request refused with an HTTP status and a reason the page shows. */
final class ConsoleRefusal extends RuntimeException {
    private final int status;

    ConsoleRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
