package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * ERROR: a request failed, or (correlation id 0) the connection is being closed for a reason. Body:
 * <pre>
 * int16  code     {@link ErrorCode}
 * string message  for people
 * </pre>
 */
public record ErrorFrame(ErrorCode code, String message) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.ERROR, correlationId, 64);
        b.appendShort(code.code());
        String m = message == null ? "" : message;
        Wire.writeString(b, m.length() > 4000 ? m.substring(0, 4000) : m);
        return Frame.finish(b);
    }

    public static ErrorFrame decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ErrorFrame f = new ErrorFrame(ErrorCode.of(c.readShort()), c.readString());
        c.expectEnd();
        return f;
    }
}
