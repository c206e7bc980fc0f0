package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * FORWARD_RESULT: the leader's answer to {@link ForwardProduce}. Body:
 * <pre>
 * int16  errorCode   0 = stored; else an {@code io.heraldmq.protocol.ErrorCode} code (NOT_LEADER: ask the table
 *                    again and retry there)
 * int64  baseOffset  where the batch was stored (-1 on error)
 * string message     the error's text (null on success)
 * </pre>
 */
public record ForwardResult(short errorCode, long baseOffset, String message) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.FORWARD_RESULT, correlationId, 32);
        b.appendShort(errorCode).appendLong(baseOffset);
        Wire.writeString(b, message);
        return ReplicationFrame.finish(b);
    }

    public static ForwardResult decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ForwardResult m = new ForwardResult(c.readShort(), c.readLong(), c.readString());
        c.expectEnd();
        return m;
    }
}
