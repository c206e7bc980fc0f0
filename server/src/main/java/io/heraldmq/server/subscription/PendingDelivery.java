package io.heraldmq.server.subscription;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;

/**
 * A record of a subscription that is neither settled nor in flight and is held in memory waiting for a consumer:
 * read ahead from the log, returned by a consumer, or delayed. The fields the dispatcher decides on are read once
 * from the record's fixed-offset header.
 */
final class PendingDelivery {
    final long offset;
    final int deliveryCount;
    final Buffer record;
    /** 0-9; always 0 where log order is kept (topic subscriptions). */
    final int priority;
    /** JMSXGroupID (the record key) on queues; null otherwise. */
    final String group;
    final long expiration;
    final long deliveryTime;

    private PendingDelivery(long offset, int deliveryCount, Buffer record, int priority, String group,
                            long expiration, long deliveryTime) {
        this.offset = offset;
        this.deliveryCount = deliveryCount;
        this.record = record;
        this.priority = priority;
        this.group = group;
        this.expiration = expiration;
        this.deliveryTime = deliveryTime;
    }

    /**
     * @param queue honour priorities and message groups (queues); topic subscriptions keep log order
     */
    static PendingDelivery of(long offset, int deliveryCount, Buffer record, boolean queue) {
        return of(offset, deliveryCount, record, RecordBatch.messageStart(record), queue);
    }

    /** @param messageStart {@code RecordBatch.messageStart(record)}, when the caller has it already */
    static PendingDelivery of(long offset, int deliveryCount, Buffer record, int messageStart, boolean queue) {
        int priority = queue ? Math.max(0, Math.min(9, WireMessage.priority(record, messageStart))) : 0;
        String group = queue ? RecordBatch.recordKey(record) : null;
        return new PendingDelivery(offset, deliveryCount, record, priority, group,
                WireMessage.expiration(record, messageStart), WireMessage.deliveryTime(record, messageStart));
    }

    /** The same delivery holding its own copy of the record, so it does not pin a whole cached batch or read chunk. */
    PendingDelivery detached() {
        return new PendingDelivery(offset, deliveryCount, record.copy(), priority, group, expiration, deliveryTime);
    }

    /** The same delivery, due no sooner than {@code time} (a redelivery delay). */
    PendingDelivery notBefore(long time) {
        return new PendingDelivery(offset, deliveryCount, record, priority, group, expiration,
                Math.max(deliveryTime, time));
    }

    boolean expired(long now) {
        return expiration != 0 && expiration <= now;
    }

    Buffer message() {
        return RecordBatch.message(record);
    }
}
