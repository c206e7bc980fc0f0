package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * CATCH_UP_FETCH: a candidate that a replica refused as behind (its log is shorter, or of an older epoch, than the
 * replica's) asks that replica for the batches it lacks ({@link CandidateCatchUp}). Any replica answers, whatever its
 * role, from its own log up to its log end, with the same divergence check as a leader answering {@link Fetch}; it
 * counts nothing towards a high watermark or an in-sync set, as it leads nothing by answering. Answered by
 * FETCH_RESULT. Body:
 * <pre>
 * string partition         {@code PartitionKey} string form
 * string candidate         the candidate's broker id
 * int32  epoch             the epoch the candidate stands for (for the log lines only: nothing depends on it)
 * int64  fetchOffset       the candidate's log end
 * int32  lastFetchedEpoch  epoch of the candidate's last batch (-1 for an empty log)
 * int32  maxBytes          about how much log to send back
 * </pre>
 */
public record CatchUpFetch(String partition, String candidate, int epoch, long fetchOffset, int lastFetchedEpoch,
                           int maxBytes) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.CATCH_UP_FETCH, correlationId, 64);
        Wire.writeString(b, partition);
        Wire.writeString(b, candidate);
        b.appendInt(epoch).appendLong(fetchOffset).appendInt(lastFetchedEpoch).appendInt(maxBytes);
        return ReplicationFrame.finish(b);
    }

    public static CatchUpFetch decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        CatchUpFetch m = new CatchUpFetch(c.readString(), c.readString(), c.readInt(), c.readLong(), c.readInt(),
                c.readInt());
        c.expectEnd();
        return m;
    }
}
