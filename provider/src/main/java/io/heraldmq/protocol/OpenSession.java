package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * OPEN_SESSION: the client created a session (of any kind: a JMSContext's counts as one). The broker counts a
 * connection's sessions for its meters only; nothing is kept per session there, so this is one-way and costs the
 * application no round trip. Sent again after failover for every session still open. Body:
 * <pre>
 * int32 sessionId   the session's id on its connection, from 1
 * </pre>
 */
public record OpenSession(int sessionId) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.OPEN_SESSION, correlationId, 4);
        b.appendInt(sessionId);
        return Frame.finish(b);
    }

    public static OpenSession decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        OpenSession f = new OpenSession(c.readInt());
        c.expectEnd();
        return f;
    }
}
