package io.heraldmq.server.log;

// STAND-IN: replaced by helper/log at merge.
public record LogConfig(long segmentBytes, long segmentMs, int indexIntervalBytes, boolean preallocate) {
    public static LogConfig defaults() {
        return new LogConfig(64L << 20, 7L * 24 * 3600 * 1000, 4096, true);
    }
}
