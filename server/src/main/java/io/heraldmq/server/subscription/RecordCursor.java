package io.heraldmq.server.subscription;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

/**
 * Walks the records of a chunk of whole batches (one cached batch, or several read from disk), yielding each record
 * as a slice of the chunk: the bytes that were appended are the bytes delivered.
 */
final class RecordCursor {
    private Buffer chunk;
    private int pos;
    private int batchEnd;
    private long baseOffset;
    private long offset;
    private Buffer record;
    private boolean control;

    void reset(Buffer newChunk) {
        chunk = newChunk.length() == 0 ? null : newChunk;
        pos = 0;
        batchEnd = 0;
    }

    /**
     * Moves to the next record at or after {@code minOffset}.
     *
     * @return false when the chunk is used up
     */
    boolean advance(long minOffset) {
        return advance(minOffset, Long.MAX_VALUE);
    }

    /**
     * Moves to the next record at or after {@code minOffset} and below {@code endOffset} (a replicated partition's
     * high watermark, which always falls between batches: records at or above it are not read).
     *
     * @return false when the chunk is used up or its next batch starts at or above endOffset
     */
    boolean advance(long minOffset, long endOffset) {
        while (chunk != null) {
            if (pos < batchEnd) {
                int length = chunk.getInt(pos);
                offset = baseOffset + chunk.getInt(pos + 4);
                record = chunk.slice(pos, pos + 4 + length);
                pos += 4 + length;
                if (offset >= minOffset) {
                    return true;
                }
            } else if (chunk.length() - pos >= RecordBatch.HEADER_BYTES) {
                if (chunk.getLong(pos) >= endOffset) {
                    return false;
                }
                baseOffset = chunk.getLong(pos);
                batchEnd = pos + RecordBatch.sizeAt(chunk, pos);
                control = (chunk.getShort(pos + 21) & RecordBatch.ATTR_CONTROL) != 0;
                if (batchEnd > chunk.length()) {
                    chunk = null;
                    return false;
                }
                pos += RecordBatch.HEADER_BYTES;
            } else {
                chunk = null;
            }
        }
        return false;
    }

    long offset() {
        return offset;
    }

    Buffer record() {
        return record;
    }

    /** Whether the current record belongs to a control batch ({@link RecordBatch#ATTR_CONTROL}): not a message. */
    boolean control() {
        return control;
    }
}
