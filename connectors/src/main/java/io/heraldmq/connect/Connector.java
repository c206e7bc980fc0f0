package io.heraldmq.connect;

/** A running source or sink. Made by {@link ConnectorType#create}, started and stopped by {@link ConnectorRuntime}. */
public interface Connector {
    String name();

    /** Starts reading, listening or consuming; throws if the connector cannot start (port taken, bad path). */
    void start() throws Exception;

    /**
     * Stops cleanly: a source stops taking input, waits (bounded) for the broker to acknowledge what it sent and
     * commits its checkpoints; a sink finishes its batch, makes it durable and commits it. Idempotent.
     */
    void stop();

    Counters counters();
}
