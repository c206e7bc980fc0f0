package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CLOSE: close a consumer, or the whole connection. Answered with OK. Body:
 * <pre>
 * byte  what  {@link #CONNECTION} or {@link #CONSUMER}
 * int32 id    the consumer id; 0 for the connection
 * </pre>
 * Unsettled deliveries of a closed consumer return to their subscription with their delivery count unchanged: they
 * may still have been on the way, unseen. Before closing, the client RELEASEs (see {@link Ack}) the deliveries its
 * application saw but did not acknowledge, which counts them. When a connection drops instead, every unsettled
 * delivery counts as delivered.
 */
public record Close(byte what, int id) {
    public static final byte CONNECTION = 0;
    public static final byte CONSUMER = 1;

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CLOSE, correlationId, 5);
        b.appendByte(what).appendInt(id);
        return Frame.finish(b);
    }

    public static Close decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Close f = new Close(c.readByte(), c.readInt());
        c.expectEnd();
        if (f.what != CONNECTION && f.what != CONSUMER) {
            throw new ProtocolException("CLOSE of unknown kind " + f.what);
        }
        return f;
    }
}
