package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * SET_CLIENT_ID: sets the JMS client id of a connection that connected without one ({@code Connection.setClientID}).
 * Answered with OK, or ERROR with INVALID_CLIENT_ID (empty, or held by another connection) or ILLEGAL_STATE (this
 * connection already has one). Body:
 * <pre>
 * string clientId  not null, not empty
 * </pre>
 */
public record SetClientId(String clientId) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.SET_CLIENT_ID, correlationId, 32);
        Wire.writeString(b, clientId);
        return Frame.finish(b);
    }

    public static SetClientId decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        SetClientId f = new SetClientId(c.readString());
        c.expectEnd();
        return f;
    }
}
