package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * XA_ROLLBACK: rolls a prepared branch back. Body: {@link WireXid}. Its messages are dropped and the deliveries it
 * consumed come again (counted: JMSRedelivered). Answered by OK; XA_UNKNOWN_XID when no such branch is prepared
 * (a branch that was never prepared has nothing on the broker to roll back); XA_HEURISTIC_COMMIT or
 * XA_HEURISTIC_ROLLBACK when an operator decided it first.
 */
public record XaRollback(WireXid xid) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.XA_ROLLBACK, correlationId, xid.encodedBytes());
        xid.write(b);
        return Frame.finish(b);
    }

    public static XaRollback decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        XaRollback r = new XaRollback(WireXid.read(c));
        c.expectEnd();
        return r;
    }
}
