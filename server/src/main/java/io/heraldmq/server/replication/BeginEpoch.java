package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * BEGIN_EPOCH: a broker that the partition table names as leader asks a replica to accept it for {@code epoch}.
 * Body:
 * <pre>
 * string partition   {@code PartitionKey} string form
 * int32  epoch       the epoch the candidate wants to lead
 * string leader      the candidate's broker id
 * int32  lastEpoch   epoch of the candidate's last batch (-1 for an empty log)
 * int64  logEnd      the candidate's log end offset
 * </pre>
 * The replica grants ({@link EpochVote}) only if it has promised no higher epoch and no other leader for this one,
 * and the candidate's log is at least as up to date as its own ((lastEpoch, logEnd) compared in that order): with
 * a majority of grants, every record a majority held is in the candidate's log.
 */
public record BeginEpoch(String partition, int epoch, String leader, int lastEpoch, long logEnd) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.BEGIN_EPOCH, correlationId, 64);
        Wire.writeString(b, partition);
        b.appendInt(epoch);
        Wire.writeString(b, leader);
        b.appendInt(lastEpoch).appendLong(logEnd);
        return ReplicationFrame.finish(b);
    }

    public static BeginEpoch decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        BeginEpoch m = new BeginEpoch(c.readString(), c.readInt(), c.readString(), c.readInt(), c.readLong());
        c.expectEnd();
        return m;
    }
}
