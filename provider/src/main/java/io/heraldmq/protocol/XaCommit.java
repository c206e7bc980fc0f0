package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * XA_COMMIT: commits a branch. Body:
 * <pre>
 * xid    {@link WireXid}
 * byte   flags          bit 0: one-phase
 * ...    one-phase only: the branch's work, the body of {@link Commit}
 * </pre>
 * Two-phase: the xid must be prepared; its journaled work is applied exactly once (its batches appended, the
 * deliveries it consumed settled). Answered by OK once applied; XA_UNKNOWN_XID when no such branch is prepared
 * (never prepared, or committed or rolled back already); XA_HEURISTIC_COMMIT or XA_HEURISTIC_ROLLBACK when an
 * operator decided it first; INTERNAL when it is committed in the journal but not yet applied (the broker applies
 * it at its next start). One-phase: the work is applied as a COMMIT applies it, with the same answers; the xid only
 * names it in errors and logs.
 */
public record XaCommit(WireXid xid, boolean onePhase, Commit work) {
    public static final byte FLAG_ONE_PHASE = 1;

    public XaCommit {
        if (onePhase != (work != null)) {
            throw new IllegalArgumentException("a one-phase XA_COMMIT carries the work, a two-phase one does not");
        }
    }

    /** A two-phase commit of a prepared branch. */
    public static XaCommit twoPhase(WireXid xid) {
        return new XaCommit(xid, false, null);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.XA_COMMIT, correlationId,
                xid.encodedBytes() + 1 + (work == null ? 0 : work.bodySizeHint()));
        xid.write(b);
        b.appendByte(onePhase ? FLAG_ONE_PHASE : 0);
        if (work != null) {
            work.writeBody(b);
        }
        return Frame.finish(b);
    }

    public static XaCommit decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        WireXid xid = WireXid.read(c);
        byte flags = c.readByte();
        if ((flags & ~FLAG_ONE_PHASE) != 0) {
            throw new ProtocolException("unknown XA_COMMIT flags " + flags);
        }
        boolean onePhase = (flags & FLAG_ONE_PHASE) != 0;
        Commit work = onePhase ? Commit.readBody(c) : null;
        c.expectEnd();
        return new XaCommit(xid, onePhase, work);
    }
}
