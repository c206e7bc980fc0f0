package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Wire;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.meta.SubscriptionRecord;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's own records in a replicated partition's log, carried in control batches
 * ({@link RecordBatch#ATTR_CONTROL}) so that they replicate with the messages and a new leader finds them in its
 * copy. Subscriptions settle control records as read; followers apply the metadata ones once the high watermark
 * passes them (never earlier: an uncommitted position could be truncated away and would skip messages).
 * <p>
 * A control record's message bytes (the part after the record key) start with a type byte:
 * <pre>
 * (empty)  the epoch marker a new leader appends
 * 1 POSITION     string subscriptionId, int64 committedOffset, int32 n, n x int64 ackedRanges
 *                (the subscription's position in this partition)
 * 2 DEFINITION   string id, string topic, string name, string clientId, byte flags (1 durable, 2 shared,
 *                4 noLocal), string selector, int64 retentionMs, int64 createdAt (a durable subscription
 *                created or changed; in partition 0 of its topic)
 * 3 DELETION     string topic, string id (a durable subscription deleted; in partition 0 of its topic)
 * </pre>
 */
public sealed interface ControlRecord {
    byte POSITION = 1;
    byte DEFINITION = 2;
    byte DELETION = 3;

    /** A subscription's position in the partition whose log holds the record. */
    record PositionChange(String subscription, Position position) implements ControlRecord {
    }

    /** A durable subscription created or changed. */
    record Definition(SubscriptionRecord subscription) implements ControlRecord {
    }

    /** A durable subscription deleted. */
    record Deletion(String topic, String id) implements ControlRecord {
    }

    /**
     * A record of a layer above replication, already encoded: its first byte is a type outside 1-3 (the decision
     * log's records, {@code TxLogRecord}). Followers skip it; its owner reads it from the log.
     */
    record Raw(Buffer message) implements ControlRecord {
    }

    /** The message bytes of this record. */
    default Buffer encode() {
        if (this instanceof Raw r) {
            return r.message();
        }
        Buffer b = Buffer.buffer(64);
        if (this instanceof PositionChange p) {
            b.appendByte(POSITION);
            Wire.writeString(b, p.subscription());
            b.appendLong(p.position().committedOffset());
            long[] ranges = p.position().ackedRanges();
            b.appendInt(ranges.length);
            for (long r : ranges) {
                b.appendLong(r);
            }
        } else if (this instanceof Definition d) {
            SubscriptionRecord s = d.subscription();
            b.appendByte(DEFINITION);
            Wire.writeString(b, s.id());
            Wire.writeString(b, s.topic());
            Wire.writeString(b, s.name());
            Wire.writeString(b, s.clientId());
            b.appendByte((byte) ((s.durable() ? 1 : 0) | (s.shared() ? 2 : 0) | (s.noLocal() ? 4 : 0)));
            Wire.writeString(b, s.selector());
            b.appendLong(s.retentionMs()).appendLong(s.createdAt());
        } else if (this instanceof Deletion d) {
            b.appendByte(DELETION);
            Wire.writeString(b, d.topic());
            Wire.writeString(b, d.id());
        }
        return b;
    }

    /** One control batch holding {@code records}. */
    static Buffer batch(List<? extends ControlRecord> records) {
        RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_CONTROL, 64 * records.size());
        long now = System.currentTimeMillis();
        for (ControlRecord r : records) {
            builder.add(now, null, r.encode());
        }
        return builder.build();
    }

    /** The metadata records of a control batch (none for an epoch marker). */
    static List<ControlRecord> decode(Buffer batch) {
        List<ControlRecord> out = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (offset, record) -> {
            Buffer m = RecordBatch.message(record);
            if (m.length() == 0) {
                return;
            }
            Wire.Cursor c = new Wire.Cursor(m);
            switch (c.readByte()) {
                case POSITION -> {
                    String id = c.readString();
                    long committed = c.readLong();
                    long[] ranges = new long[c.readInt()];
                    for (int i = 0; i < ranges.length; i++) {
                        ranges[i] = c.readLong();
                    }
                    out.add(new PositionChange(id, new Position(committed, ranges)));
                }
                case DEFINITION -> {
                    String id = c.readString();
                    String topic = c.readString();
                    String name = c.readString();
                    String clientId = c.readString();
                    byte flags = c.readByte();
                    String selector = c.readString();
                    out.add(new Definition(new SubscriptionRecord(id, topic, name, clientId, (flags & 1) != 0,
                            (flags & 2) != 0, selector, (flags & 4) != 0, c.readLong(), c.readLong())));
                }
                case DELETION -> out.add(new Deletion(c.readString(), c.readString()));
                default -> { } // a type from a newer broker: nothing to apply here
            }
        });
        return out;
    }
}
