package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * OK: a request without a specific answer succeeded. Empty body, except in answer to SUBSCRIBE, where the broker
 * tells the consumer its destination's redelivery policy (a client redelivers recovered and rolled back messages
 * itself, so it needs to know when they must go back to the broker instead):
 * <pre>
 * int32 maxDeliveryAttempts  deliveries a message may have before it is dead-lettered; -1 = unlimited
 * int64 redeliveryDelayMs    wait before the first redelivery; 0 = at once
 * </pre>
 * An empty answer to SUBSCRIBE (older brokers) means the policy is unknown: {@link #redelivery} returns null.
 */
public final class Ok {
    private Ok() {
    }

    /** A destination's redelivery policy as far as a consumer needs it. */
    public record Redelivery(int maxDeliveryAttempts, long redeliveryDelayMs) {
    }

    public static Buffer encode(int correlationId) {
        return Frame.finish(Frame.start(FrameType.OK, correlationId, 0));
    }

    /** The answer to SUBSCRIBE. */
    public static Buffer encodeSubscribed(int correlationId, Redelivery redelivery) {
        return Frame.finish(Frame.start(FrameType.OK, correlationId, 12).appendInt(redelivery.maxDeliveryAttempts())
                .appendLong(redelivery.redeliveryDelayMs()));
    }

    /** @return the policy in an answer to SUBSCRIBE, or null if the broker sent none */
    public static Redelivery redelivery(Buffer body) {
        if (body.length() == 0) {
            return null;
        }
        Wire.Cursor c = new Wire.Cursor(body);
        Redelivery r = new Redelivery(c.readInt(), c.readLong());
        c.expectEnd();
        return r;
    }
}
