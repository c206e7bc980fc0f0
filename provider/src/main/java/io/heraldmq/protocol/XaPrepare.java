package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * XA_PREPARE: phase one of a two-phase commit. The frame carries the branch's whole work, so nothing of it reached
 * the broker before. Body:
 * <pre>
 * xid    {@link WireXid}
 * ...    the transaction: the body of {@link Commit} (producerId, sequence, sends, consumed)
 * </pre>
 * The broker checks everything a COMMIT is checked for, journals the branch as prepared (fsynced) and holds it:
 * its messages are not appended (invisible) and the deliveries it consumed are neither settled nor given to anyone
 * else, until XA_COMMIT or XA_ROLLBACK names the xid, also after a crash. Answered by OK once durable, or ERROR: an
 * ERROR other than INTERNAL means nothing was prepared (the branch is rolled back and the deliveries it consumed
 * come again, counted); XA_DUPLICATE_XID if the xid is prepared already.
 */
public record XaPrepare(WireXid xid, Commit work) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.XA_PREPARE, correlationId, xid.encodedBytes() + work.bodySizeHint());
        xid.write(b);
        return Frame.finish(work.writeBody(b));
    }

    public static XaPrepare decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        WireXid xid = WireXid.read(c);
        Commit work = Commit.readBody(c);
        c.expectEnd();
        return new XaPrepare(xid, work);
    }
}
