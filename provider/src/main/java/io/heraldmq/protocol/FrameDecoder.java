package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Reassembles {@link Frame}s from a byte stream that arrives in arbitrary chunks. Used by both ends of a connection.
 * <p>
 * Each complete frame is handed to the consumer with its body as a slice of the reassembly buffer, so the body's
 * bytes (and the record batch inside a PRODUCE) are copied once, from the socket's chunks into that buffer.
 * A length below {@link Frame#MIN_LENGTH} or above the limit, or an unknown type, raises {@link ProtocolException}:
 * the caller closes the connection, as nothing after a bad header can be trusted.
 */
public final class FrameDecoder {
    private final int maxFrameLength;
    private final Consumer<Frame> sink;
    private Buffer pending = Buffer.buffer(0);
    private int readPos;
    /** True when {@link #pending} is this decoder's own reassembly buffer rather than a chunk it was fed. */
    private boolean owned;
    private boolean failed;

    /**
     * @param maxFrameLength largest accepted value of the length field
     * @param sink           receives every complete frame, in order
     */
    public FrameDecoder(int maxFrameLength, Consumer<Frame> sink) {
        this.maxFrameLength = maxFrameLength;
        this.sink = sink;
    }

    public void feed(Buffer chunk) {
        if (failed) {
            return;
        }
        if (readPos == pending.length()) {
            // Nothing buffered: parse the chunk in place.
            pending = chunk;
            readPos = 0;
            owned = false;
        } else if (owned && readPos == 0) {
            // Still assembling the first frame of our own buffer: no slice of it has been handed out, so it can grow
            // in place (amortized), instead of being copied again for every chunk of a large frame.
            pending.appendBuffer(chunk);
        } else {
            Buffer merged = Buffer.buffer(pending.length() - readPos + chunk.length());
            merged.appendBuffer(pending, readPos, pending.length() - readPos).appendBuffer(chunk);
            pending = merged;
            readPos = 0;
            owned = true;
        }
        try {
            drain();
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }

    private void drain() {
        while (pending.length() - readPos >= 4) {
            int length = pending.getInt(readPos);
            if (length < Frame.MIN_LENGTH) {
                throw new ProtocolException("bad frame length " + length + " (minimum " + Frame.MIN_LENGTH + ")");
            }
            if (length > maxFrameLength) {
                throw new ProtocolException("frame of " + length + " bytes exceeds the limit of " + maxFrameLength
                        + " bytes");
            }
            if (pending.length() - readPos < 5) {
                return;
            }
            byte code = pending.getByte(readPos + 4);
            FrameType type = FrameType.of(code);
            if (type == null) {
                throw new ProtocolException("unknown frame type " + code);
            }
            if (pending.length() - readPos < 4 + length) {
                return;
            }
            int correlationId = pending.getInt(readPos + 5);
            Buffer body = pending.slice(readPos + Frame.HEADER_BYTES, readPos + 4 + length);
            readPos += 4 + length;
            sink.accept(new Frame(type, correlationId, body));
        }
    }
}
