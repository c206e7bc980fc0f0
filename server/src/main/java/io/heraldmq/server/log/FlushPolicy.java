package io.heraldmq.server.log;

/** When {@link GroupCommit} considers an appended batch durable. */
public enum FlushPolicy {
    /** After an fsync that covers it; batches appended while an fsync runs share the next one. */
    ALWAYS,
    /** At once; the log is fsynced periodically in the background. */
    INTERVAL,
    /** At once; the log is fsynced only on close (and by the operating system when it pleases). */
    NEVER
}
