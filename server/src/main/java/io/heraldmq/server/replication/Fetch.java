package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * FETCH: a follower asks the leader it promised its epoch to for the batches from {@code fetchOffset}. Body:
 * <pre>
 * string partition         {@code PartitionKey} string form
 * string follower          the follower's broker id
 * int32  epoch             the leader epoch the follower follows
 * int64  fetchOffset       the follower's log end: every offset below it is in its log, durable under its flush
 *                          policy (the follower fetches again only once what it appended is durable), so the
 *                          leader counts it towards the high watermark
 * int32  lastFetchedEpoch  epoch of the follower's last batch (-1 for an empty log): the leader checks that its
 *                          own history agrees up to fetchOffset, else it answers DIVERGING
 * int32  maxBytes          about how much log to send back
 * </pre>
 */
public record Fetch(String partition, String follower, int epoch, long fetchOffset, int lastFetchedEpoch,
                    int maxBytes) {
    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.FETCH, correlationId, 64);
        Wire.writeString(b, partition);
        Wire.writeString(b, follower);
        b.appendInt(epoch).appendLong(fetchOffset).appendInt(lastFetchedEpoch).appendInt(maxBytes);
        return ReplicationFrame.finish(b);
    }

    public static Fetch decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Fetch m = new Fetch(c.readString(), c.readString(), c.readInt(), c.readLong(), c.readInt(), c.readInt());
        c.expectEnd();
        return m;
    }
}
