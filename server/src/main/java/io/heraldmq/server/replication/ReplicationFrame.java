package io.heraldmq.server.replication;

import io.vertx.core.buffer.Buffer;

/**
 * One frame of the replication connection. Same layout as a client frame (big-endian):
 * <pre>
 * offset size field
 * 0      4    length         bytes that follow this field: 5 + body length
 * 4      1    type           {@link ReplicationFrameType} code
 * 5      4    correlationId  chosen by the requester, echoed in the answer
 * 9      n    body           layout in the codec of the type
 * </pre>
 * Every request gets exactly one answer with its correlation id.
 */
public record ReplicationFrame(ReplicationFrameType type, int correlationId, Buffer body) {
    public static final int HEADER_BYTES = 9;
    /**
     * Largest frame a replication connection accepts: a transaction's decision carries a COMMIT's batches (up to
     * 64 MiB) and a little more.
     */
    public static final int MAX_FRAME_BYTES = 96 << 20;

    public static Buffer start(ReplicationFrameType type, int correlationId, int sizeHint) {
        return Buffer.buffer(HEADER_BYTES + sizeHint).appendInt(0).appendByte(type.code()).appendInt(correlationId);
    }

    public static Buffer finish(Buffer frame) {
        frame.setInt(0, frame.length() - 4);
        return frame;
    }
}
