package io.heraldmq.server.replication;

import io.heraldmq.protocol.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * FETCH_RESULT: the leader's answer to {@link Fetch}. Body:
 * <pre>
 * byte   error               {@link #NONE}, {@link #FENCED}, {@link #DIVERGING}, {@link #UNKNOWN_PARTITION},
 *                            {@link #HANDED_OVER}
 * int32  leaderEpoch         the answering broker's epoch for the partition (HANDED_OVER: the successor's epoch)
 * int64  highWatermark       every offset below it is on a majority of the replicas
 * int64  logStart            the leader's log start offset
 * int32  divergingEpoch      DIVERGING: the largest epoch of the leader's history at or below the follower's
 *                            lastFetchedEpoch ...
 * int64  divergingEndOffset  ... and where that epoch ends in the leader's log: the follower truncates to
 *                            min(this, its own end of that epoch) and fetches again
 * int32  batchesLength
 * bytes  batches             whole record batches from fetchOffset, as stored: the bytes the producer sent
 * </pre>
 */
public record FetchResult(byte error, int leaderEpoch, long highWatermark, long logStart, int divergingEpoch,
                          long divergingEndOffset, Buffer batches) {
    public static final byte NONE = 0;
    /** The answering broker is not the established leader of that epoch (an older or newer one, or a candidate). */
    public static final byte FENCED = 1;
    /** The follower's log disagrees with the leader's at or below its fetch offset. */
    public static final byte DIVERGING = 2;
    public static final byte UNKNOWN_PARTITION = 3;
    /**
     * The leader was handing the partition over to the fetching follower ({@link Handover}), which now holds its
     * whole log; the leader took no send since and follows the follower from {@code leaderEpoch} on.
     */
    public static final byte HANDED_OVER = 4;

    public static FetchResult error(byte error, int leaderEpoch) {
        return new FetchResult(error, leaderEpoch, -1, -1, -1, -1, Buffer.buffer(0));
    }

    public Buffer encode(int correlationId) {
        Buffer b = ReplicationFrame.start(ReplicationFrameType.FETCH_RESULT, correlationId, 40 + batches.length());
        b.appendByte(error).appendInt(leaderEpoch).appendLong(highWatermark).appendLong(logStart)
                .appendInt(divergingEpoch).appendLong(divergingEndOffset).appendInt(batches.length())
                .appendBuffer(batches);
        return ReplicationFrame.finish(b);
    }

    public static FetchResult decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        FetchResult m = new FetchResult(c.readByte(), c.readInt(), c.readLong(), c.readLong(), c.readInt(),
                c.readLong(), c.readSlice(c.readInt()));
        c.expectEnd();
        return m;
    }
}
