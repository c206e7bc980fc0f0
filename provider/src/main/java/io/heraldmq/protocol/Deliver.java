package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * DELIVER: one or more messages for one consumer. One-way; each message uses one unit of the consumer's credit.
 * Body:
 * <pre>
 * int32 consumerId
 * int32 count
 * count times:
 *   int32 partition
 *   int64 offset         the record's offset in that partition; ACK names it
 *   int32 deliveryCount  1 on first delivery (JMSXDeliveryCount; &gt; 1 means JMSRedelivered)
 *   ...   record         the stored record exactly as in the log, starting with its int32 length
 *                        (see {@link RecordBatch})
 * </pre>
 * A DELIVER with count 0 (the layout unchanged, no entries) is the end marker of a queue browser (a SUBSCRIBE with
 * the BROWSE flag): the broker has sent every message the browse will show. Consumers are never sent one.
 * <p>
 * Build one with {@link Builder}; read one with {@link #read(Buffer, Visitor)}.
 */
public final class Deliver {
    /** Bytes of a DELIVER frame before its first entry. */
    public static final int PREFIX_BYTES = Frame.HEADER_BYTES + 8;
    /** Bytes of an entry before its record. */
    public static final int ENTRY_HEADER_BYTES = 16;

    private Deliver() {
    }

    /** Receives the entries of a DELIVER body. */
    public interface Visitor {
        /**
         * @param record the record, a slice of the frame: starts with the record's int32 length
         */
        void entry(int consumerId, int partition, long offset, int deliveryCount, Buffer record);

        /** A DELIVER without entries: the end of a browse. */
        default void end(int consumerId) {
        }
    }

    public static void read(Buffer body, Visitor visitor) {
        Wire.Cursor c = new Wire.Cursor(body);
        int consumerId = c.readInt();
        int count = c.readInt();
        if (count < 0) {
            throw new ProtocolException("negative DELIVER count " + count);
        }
        if (count == 0) {
            c.expectEnd();
            visitor.end(consumerId);
            return;
        }
        for (int i = 0; i < count; i++) {
            int partition = c.readInt();
            long offset = c.readLong();
            int deliveryCount = c.readInt();
            int recordStart = c.position();
            int length = c.readInt();
            if (length < RecordBatch.RECORD_HEADER_BYTES - 4) {
                throw new ProtocolException("bad record length " + length + " in DELIVER");
            }
            c.skip(length);
            visitor.entry(consumerId, partition, offset, deliveryCount, body.slice(recordStart, c.position()));
        }
        c.expectEnd();
    }

    /** Accumulates entries for one consumer into one frame. */
    public static final class Builder {
        private final Buffer frame;
        private int count;

        public Builder(int consumerId, int sizeHint) {
            this(consumerId, Buffer.buffer(PREFIX_BYTES + sizeHint));
        }

        /**
         * Builds into {@code empty}, a buffer the caller chose (the broker uses pooled direct memory, which the
         * socket writes without a copy).
         */
        public Builder(int consumerId, Buffer empty) {
            frame = Frame.start(FrameType.DELIVER, 0, empty);
            frame.appendInt(consumerId).appendInt(0);
        }

        /** @param record the stored record, starting with its int32 length */
        public Builder add(int partition, long offset, int deliveryCount, Buffer record) {
            frame.appendInt(partition).appendLong(offset).appendInt(deliveryCount).appendBuffer(record);
            count++;
            return this;
        }

        public int count() {
            return count;
        }

        public int bytes() {
            return frame.length();
        }

        public Buffer build() {
            frame.setInt(Frame.HEADER_BYTES + 4, count);
            return Frame.finish(frame);
        }
    }
}
