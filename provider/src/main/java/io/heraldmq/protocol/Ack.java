package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * ACK: settle delivered messages of one consumer. With a correlation id other than 0 the broker answers OK once the
 * settlement is applied. Body:
 * <pre>
 * int32 consumerId
 * byte  outcome     {@link #CONSUMED}: done with it; {@link #RELEASED}: put it back for redelivery (delivery count
 *                   goes up); {@link #REJECTED}: poison, never deliver again; {@link #RETURNED}: never given to
 *                   the application (it sat in the client's prefetch buffer), put back with its delivery count as is
 * int32 count
 * count times:
 *   int32 partition
 *   int64 offset
 * string reason     optional (the body may end before it): why the application could not take the messages, for
 *                   RELEASED and REJECTED, e.g. the exception a listener threw; the broker puts the last one on a
 *                   dead letter. Null when there is nothing to say.
 * int32 seenCount   optional (the body may end before it), RELEASED only: how many times the application was
 *                   given each of these messages, where the client redelivered them itself (recover, rollback)
 *                   and the broker's count is behind; the next delivery counts one more. 0 = as the broker knows.
 * int32 move        optional (the body may end before it): the oldest {@link ConsumerMoved} move under which these
 *                   messages were delivered; 0 = the consumer never moved. A broker relaying the consumer answers
 *                   TRANSACTION_ROLLED_BACK to an ACK with a correlation id of an earlier move than the consumer's
 *                   (passing a one-way one on); a leader ignores it.
 * </pre>
 * Older clients end the body after the entries; the broker reads what is there.
 */
public record Ack(int consumerId, byte outcome, int[] partitions, long[] offsets, String reason, int seenCount,
                  int move) {
    /** Longest reason sent, in characters; longer ones are cut (a stack of causes can be long). */
    public static final int MAX_REASON_CHARS = 1000;

    public static final byte CONSUMED = 0;
    public static final byte RELEASED = 1;
    public static final byte REJECTED = 2;
    public static final byte RETURNED = 3;

    public Ack {
        if (partitions.length != offsets.length) {
            throw new IllegalArgumentException("partitions and offsets differ in length");
        }
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS);
        }
    }

    /** Of a consumer that never moved. */
    public Ack(int consumerId, byte outcome, int[] partitions, long[] offsets, String reason, int seenCount) {
        this(consumerId, outcome, partitions, offsets, reason, seenCount, 0);
    }

    /** The same settlement, named as delivered under {@code move}. */
    public Ack withMove(int move) {
        return new Ack(consumerId, outcome, partitions, offsets, reason, seenCount, move);
    }

    /** Without a reason. */
    public Ack(int consumerId, byte outcome, int[] partitions, long[] offsets) {
        this(consumerId, outcome, partitions, offsets, null, 0);
    }

    public Ack(int consumerId, byte outcome, int[] partitions, long[] offsets, String reason) {
        this(consumerId, outcome, partitions, offsets, reason, 0);
    }

    public int count() {
        return offsets.length;
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.ACK, correlationId, 9 + 12 * offsets.length
                + (reason == null ? 0 : 2 + 3 * reason.length()) + 10);
        b.appendInt(consumerId).appendByte(outcome).appendInt(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            b.appendInt(partitions[i]).appendLong(offsets[i]);
        }
        if (reason != null || seenCount != 0 || move != 0) {
            Wire.writeString(b, reason);
        }
        if (seenCount != 0 || move != 0) {
            b.appendInt(seenCount);
        }
        if (move != 0) {
            b.appendInt(move);
        }
        return Frame.finish(b);
    }

    public static Ack decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        int consumerId = c.readInt();
        byte outcome = c.readByte();
        if (outcome < CONSUMED || outcome > RETURNED) {
            throw new ProtocolException("unknown ACK outcome " + outcome);
        }
        int count = c.readInt();
        if (count < 0 || count > c.remaining() / 12) {
            throw new ProtocolException("bad ACK count " + count);
        }
        int[] partitions = new int[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            partitions[i] = c.readInt();
            offsets[i] = c.readLong();
        }
        String reason = c.remaining() > 0 ? c.readString() : null;
        int seenCount = c.remaining() > 0 ? c.readInt() : 0;
        if (seenCount < 0) {
            throw new ProtocolException("negative ACK seen count " + seenCount);
        }
        int move = c.remaining() > 0 ? c.readInt() : 0;
        if (move < 0) {
            throw new ProtocolException("negative ACK move " + move);
        }
        c.expectEnd();
        return new Ack(consumerId, outcome, partitions, offsets, reason, seenCount, move);
    }
}
