package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Deliver;
import io.vertx.core.buffer.Buffer;

/**
 * One consumer's attachment to one partition of its subscription: the credit it has there and the DELIVER frame
 * being filled for it. Lives on the partition's context.
 */
final class ConsumerLink {
    /** Fill a DELIVER frame up to about this many bytes before writing it. */
    private static final int FRAME_TARGET_BYTES = 256 * 1024;

    final ServerConsumer consumer;
    final PartitionSubscription subscription;
    int credit;
    private Deliver.Builder frame;

    ConsumerLink(ServerConsumer consumer, PartitionSubscription subscription, int credit) {
        this.consumer = consumer;
        this.subscription = subscription;
        this.credit = credit;
    }

    void deliver(int partition, long offset, int deliveryCount, Buffer record) {
        if (frame == null) {
            frame = new Deliver.Builder(consumer.id(), Math.min(FRAME_TARGET_BYTES, record.length() * 16 + 64));
        }
        frame.add(partition, offset, deliveryCount, record);
        credit--;
        if (frame.bytes() >= FRAME_TARGET_BYTES) {
            flush();
        }
    }

    void flush() {
        if (frame != null) {
            consumer.send(frame.build());
            frame = null;
        }
    }
}
