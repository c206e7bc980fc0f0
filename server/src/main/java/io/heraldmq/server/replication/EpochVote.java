package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * EPOCH_VOTE: a replica's answer to {@link BeginEpoch}. Body:
 * <pre>
 * byte   granted         1 = the replica promised (durably, before answering) the epoch to the candidate
 * int32  promisedEpoch   the replica's promise after this request
 * string promisedLeader  the leader it promised that epoch to (null if none)
 * int32  lastEpoch       epoch of the replica's last batch (-1 for an empty log)
 * int64  logEnd          the replica's log end offset
 * </pre>
 */
public record EpochVote(boolean granted, int promisedEpoch, String promisedLeader, int lastEpoch, long logEnd) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.EPOCH_VOTE, correlationId, 48);
        b.appendByte((byte) (granted ? 1 : 0)).appendInt(promisedEpoch);
        Wire.writeString(b, promisedLeader);
        b.appendInt(lastEpoch).appendLong(logEnd);
        return ReplicationFrame.finish(b);
    }

    public static EpochVote decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        EpochVote m = new EpochVote(c.readByte() == 1, c.readInt(), c.readString(), c.readInt(), c.readLong());
        c.expectEnd();
        return m;
    }
}
