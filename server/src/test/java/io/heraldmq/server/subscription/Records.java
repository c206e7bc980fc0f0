package io.heraldmq.server.subscription;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;

/** Builds single stored records for the dispatcher's unit tests. */
final class Records {
    private Records() {
    }

    static Buffer record(int priority, String group, long deliveryTime, long expiration) {
        WireMessage m = new WireMessage();
        m.priority = priority;
        m.deliveryTime = deliveryTime;
        m.expiration = expiration;
        RecordBatch.Builder b = new RecordBatch.Builder((short) 0, 128);
        b.add(0, group, m.encode());
        Buffer batch = b.build();
        return batch.slice(RecordBatch.HEADER_BYTES, batch.length());
    }

    static PendingDelivery pending(long offset, int priority, boolean queue) {
        return PendingDelivery.of(offset, 1, record(priority, null, 0, 0), queue);
    }
}
