package io.heraldmq.bench;

/** A run whose messages were lost, duplicated or out of order per producer, or that broke: no number for it. */
public final class ScenarioFailedException extends Exception {
    public ScenarioFailedException(String message) {
        super(message);
    }

    public ScenarioFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
