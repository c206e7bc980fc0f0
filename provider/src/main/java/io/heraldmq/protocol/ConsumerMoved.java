package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CONSUMER_MOVED, broker to client, one-way: the broker the client is connected to relayed this consumer to its
 * destination's leader, lost that leader, and subscribed the consumer again where the destination is led now. Every
 * delivery of this consumer that came before this frame is void: the new leader gives those messages out again
 * (marked redelivered). From now on the client names its deliveries' {@code move} in ACK and COMMIT; the broker
 * refuses (TRANSACTION_ROLLED_BACK) a COMMIT, and an ACK with a correlation id, that names a delivery of an earlier
 * move, since the new leader may have given the same offset to this consumer again and the client is about to take
 * that copy. The broker subscribed the consumer again with its first credit (its prefetch), so the client credits
 * only what it takes from now on. Body:
 * <pre>
 * int32 consumerId
 * int32 move        counts up from 1 per consumer and connection
 * </pre>
 */
public record ConsumerMoved(int consumerId, int move) {
    public Buffer encode() {
        Buffer b = Frame.start(FrameType.CONSUMER_MOVED, 0, 8);
        b.appendInt(consumerId).appendInt(move);
        return Frame.finish(b);
    }

    public static ConsumerMoved decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ConsumerMoved m = new ConsumerMoved(c.readInt(), c.readInt());
        c.expectEnd();
        if (m.move < 1) {
            throw new ProtocolException("bad CONSUMER_MOVED move " + m.move);
        }
        return m;
    }
}
