package io.heraldmq.server.meta;

// STAND-IN: replaced by helper/meta at merge.
public record Position(long committedOffset, long[] ackedRanges) {
}
