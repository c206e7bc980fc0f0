package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Reassembles {@link Frame}s from a byte stream that arrives in arbitrary chunks. Used by both ends of a connection.
 * <p>
 * Each complete frame is handed to the consumer with its body as a slice: of the chunk itself when the frame lies
 * wholly inside it (no copy), else of a buffer that assembles just that one frame from the chunks it spans (its
 * bytes copied once). The frames after it in the last chunk are again parsed in place, so a stream of small frames
 * is not copied at every chunk boundary.
 * A length below {@link Frame#MIN_LENGTH} or above the limit, or an unknown type, raises {@link ProtocolException}:
 * the caller closes the connection, as nothing after a bad header can be trusted.
 */
public final class FrameDecoder {
    private static final int LENGTH_AND_TYPE = 5;

    private int maxFrameLength;
    private int maxCommitLength;
    private final Consumer<Frame> sink;
    /** The frame being assembled across chunks (owned by this decoder), or null. */
    private Buffer partial;
    /** Its total size, length field included, once its header is known; else -1. */
    private int partialSize = -1;
    private boolean failed;

    /**
     * @param maxFrameLength largest accepted value of the length field
     * @param sink           receives every complete frame, in order
     */
    public FrameDecoder(int maxFrameLength, Consumer<Frame> sink) {
        this(maxFrameLength, maxFrameLength, sink);
    }

    /**
     * @param maxCommitLength largest accepted length of a frame that carries a whole transaction (COMMIT,
     *                        XA_PREPARE, XA_COMMIT: {@link Commit#MAX_FRAME_BYTES})
     */
    public FrameDecoder(int maxFrameLength, int maxCommitLength, Consumer<Frame> sink) {
        this.maxFrameLength = maxFrameLength;
        this.maxCommitLength = Math.max(maxFrameLength, maxCommitLength);
        this.sink = sink;
    }

    /**
     * Changes the limits for the frames not yet parsed (also the rest of the chunk being fed, when called from the
     * sink): the broker accepts only small frames until a connection is authenticated.
     */
    public void limits(int newMaxFrameLength, int newMaxCommitLength) {
        this.maxFrameLength = newMaxFrameLength;
        this.maxCommitLength = Math.max(newMaxFrameLength, newMaxCommitLength);
    }

    public void feed(Buffer chunk) {
        if (failed) {
            return;
        }
        try {
            int pos = partial == null ? 0 : completePartial(chunk);
            if (pos >= 0) {
                parseInPlace(chunk, pos);
            }
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Adds to the frame being assembled what it needs from {@code chunk} and emits it once complete.
     *
     * @return where the rest of the chunk starts, or -1 if the chunk was used up without completing the frame
     */
    private int completePartial(Buffer chunk) {
        int pos = 0;
        if (partialSize < 0) {
            int take = Math.min(LENGTH_AND_TYPE - partial.length(), chunk.length());
            partial.appendBuffer(chunk, 0, take);
            pos = take;
            if (partial.length() >= 4) {
                checkLength(partial, 0);
            }
            if (partial.length() < LENGTH_AND_TYPE) {
                return -1;
            }
            partialSize = 4 + checkHeader(partial, 0);
            Buffer sized = Buffer.buffer(partialSize);
            sized.appendBuffer(partial);
            partial = sized;
        }
        int take = Math.min(partialSize - partial.length(), chunk.length() - pos);
        partial.appendBuffer(chunk, pos, take);
        pos += take;
        if (partial.length() < partialSize) {
            return -1;
        }
        Buffer frame = partial;
        partial = null;
        partialSize = -1;
        emit(frame, 0);
        return pos;
    }

    private void parseInPlace(Buffer chunk, int pos) {
        int end = chunk.length();
        while (end - pos >= 4) {
            if (end - pos < LENGTH_AND_TYPE) {
                checkLength(chunk, pos);
                break;
            }
            int length = checkHeader(chunk, pos);
            if (end - pos < 4 + length) {
                break;
            }
            emit(chunk, pos);
            pos += 4 + length;
        }
        if (pos < end) {
            int rest = end - pos;
            partial = Buffer.buffer(Math.max(rest, 64));
            partial.appendBuffer(chunk, pos, rest);
            partialSize = rest >= LENGTH_AND_TYPE ? 4 + chunk.getInt(pos) : -1;
            if (partialSize > 0 && partialSize > partial.length()) {
                Buffer sized = Buffer.buffer(partialSize);
                sized.appendBuffer(partial);
                partial = sized;
            }
        }
    }

    /** @return the frame's length field, after checking it and the type */
    private int checkHeader(Buffer b, int pos) {
        int length = checkLength(b, pos);
        byte code = b.getByte(pos + 4);
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new ProtocolException("unknown frame type " + code);
        }
        if (length > maxFrameLength && !type.carriesTransaction()) {
            throw new ProtocolException("frame of " + length + " bytes exceeds the limit of " + maxFrameLength
                    + " bytes");
        }
        return length;
    }

    private int checkLength(Buffer b, int pos) {
        int length = b.getInt(pos);
        if (length < Frame.MIN_LENGTH) {
            throw new ProtocolException("bad frame length " + length + " (minimum " + Frame.MIN_LENGTH + ")");
        }
        if (length > maxCommitLength) {
            throw new ProtocolException("frame of " + length + " bytes exceeds the limit of " + maxCommitLength
                    + " bytes");
        }
        return length;
    }

    /** Hands on the complete frame at {@code pos} of {@code b}, its header already checked. */
    private void emit(Buffer b, int pos) {
        int length = b.getInt(pos);
        FrameType type = FrameType.of(b.getByte(pos + 4));
        int correlationId = b.getInt(pos + 5);
        sink.accept(new Frame(type, correlationId, b.slice(pos + Frame.HEADER_BYTES, pos + 4 + length)));
    }
}
