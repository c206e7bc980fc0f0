package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One protocol frame. Layout on the wire (big-endian):
 * <pre>
 * offset size field
 * 0      4    length         bytes that follow this field: 5 + body length
 * 4      1    type           {@link FrameType} code
 * 5      4    correlationId  chosen by the requester, echoed in the response; 0 = no response wanted
 * 9      n    body           layout given by the frame type's codec
 * </pre>
 * Requests and their responses: CONNECT → CONNECTED | ERROR; PRODUCE → PRODUCE_ACK | ERROR (PRODUCE_ACK only when
 * asked for); SUBSCRIBE → OK | ERROR; ACK → OK | ERROR when the correlation id is not 0; CLOSE → OK;
 * SET_CLIENT_ID, CREATE_TEMP, DELETE_TEMP, UNSUBSCRIBE → OK | ERROR; ADMIN → ADMIN_RESULT | ERROR;
 * COMMIT → OK | ERROR;
 * XA_PREPARE, XA_COMMIT, XA_ROLLBACK, XA_FORGET → OK | ERROR; XA_RECOVER → XA_XIDS | ERROR; PING → PONG (only
 * after a CONNECT that announced heartbeats). CREDIT and DELIVER are one-way. An ERROR
 * with correlation id 0 concerns the connection as a whole.
 *
 * @param type          frame type
 * @param correlationId request/response correlation
 * @param body          the body, a slice of the received bytes
 */
public record Frame(FrameType type, int correlationId, Buffer body) {
    /** Bytes before the body: length, type, correlation id. */
    public static final int HEADER_BYTES = 9;
    /** Smallest legal value of the length field. */
    public static final int MIN_LENGTH = 5;

    /** Starts a frame: writes the header with a placeholder length; finish with {@link #finish(Buffer)}. */
    public static Buffer start(FrameType type, int correlationId, int sizeHint) {
        return start(type, correlationId, Buffer.buffer(HEADER_BYTES + sizeHint));
    }

    /** Starts a frame in {@code empty}, a buffer the caller allocated. */
    public static Buffer start(FrameType type, int correlationId, Buffer empty) {
        return empty.appendInt(0).appendByte(type.code()).appendInt(correlationId);
    }

    /** Sets the length field of a frame built with {@link #start}. */
    public static Buffer finish(Buffer frame) {
        frame.setInt(0, frame.length() - 4);
        return frame;
    }
}
