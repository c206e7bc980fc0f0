package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Deliver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;

/**
 * One consumer's attachment to one partition of its subscription: the credit it has there and the DELIVER frame
 * being filled for it. Lives on the partition's context. A queue consumer's own selector is its {@code filter}; a
 * queue browser's link has a {@link PartitionBrowser} of its own instead of taking part in dispatch.
 */
final class ConsumerLink {
    /** Fill a DELIVER frame up to about this many bytes before writing it. */
    private static final int FRAME_TARGET_BYTES = 256 * 1024;

    final ServerConsumer consumer;
    final PartitionSubscription subscription;
    /** The consumer's own selector (queues); topic consumers use their subscription's filter and have ALL here. */
    final MessageFilter filter;
    int credit;
    /** When credit last came from the consumer: it is active, so producers are paced to it. */
    long lastCreditNanos = System.nanoTime();
    /** Set for a queue browser's link. */
    PartitionBrowser browser;
    private Deliver.Builder frame;
    private ByteBuf frameMemory;

    ConsumerLink(ServerConsumer consumer, PartitionSubscription subscription, int credit) {
        this(consumer, subscription, credit, MessageFilter.ALL);
    }

    ConsumerLink(ServerConsumer consumer, PartitionSubscription subscription, int credit, MessageFilter filter) {
        this.consumer = consumer;
        this.subscription = subscription;
        this.credit = credit;
        this.filter = filter;
    }

    boolean accepts(PendingDelivery p) {
        return filter == MessageFilter.ALL || filter.accept(p.message());
    }

    /**
     * @param ready deliveries ready to go in this dispatch round, this one included: the frame is sized for what
     *              it will carry (a larger buffer costs its zeroing, a smaller one a copy per growth)
     */
    void deliver(int partition, long offset, int deliveryCount, Buffer record, int ready) {
        if (frame == null) {
            long expected = (long) Math.max(1, Math.min(ready, credit))
                    * (record.length() + Deliver.ENTRY_HEADER_BYTES);
            // Pooled direct memory: not zeroed, and the socket writes it as it is (a heap frame is first copied
            // into direct memory by the transport). Released once written (flush).
            frameMemory = PooledByteBufAllocator.DEFAULT.directBuffer(Deliver.PREFIX_BYTES
                    + (int) Math.min(FRAME_TARGET_BYTES + 64 * 1024, expected));
            frame = new Deliver.Builder(consumer.id(), Buffer.buffer(frameMemory));
        }
        frame.add(partition, offset, deliveryCount, record);
        credit--;
        if (frame.bytes() >= FRAME_TARGET_BYTES) {
            flush();
        }
    }

    /** Sends the frame being filled, if any. Every delivery made is followed by a flush in the same task. */
    void flush() {
        if (frame != null) {
            ByteBuf memory = frameMemory;
            consumer.send(frame.build()).onComplete(written -> memory.release());
            frame = null;
            frameMemory = null;
        }
    }
}
