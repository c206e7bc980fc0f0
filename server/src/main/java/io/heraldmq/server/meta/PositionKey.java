package io.heraldmq.server.meta;

/** Key of one row of {@code positions}, and of the in-memory buffer in front of it. */
record PositionKey(String subscriptionId, int partition) {
}
