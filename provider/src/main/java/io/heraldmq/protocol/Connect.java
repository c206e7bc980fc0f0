package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CONNECT: the first frame on every connection. Answered with CONNECTED, or ERROR: UNSUPPORTED_VERSION or
 * AUTHENTICATION_FAILED (the broker then closes the connection; it checks credentials only when it has users
 * configured), INVALID_CLIENT_ID (the id is empty or another connection holds it). Nothing else may be sent before
 * the answer. Body:
 * <pre>
 * int16  protocolVersion  {@link #PROTOCOL_VERSION}
 * string clientId         JMS client id, null if not set yet
 * string username         null for anonymous
 * string password         null for anonymous
 * </pre>
 */
public record Connect(short protocolVersion, String clientId, String username, String password) {
    public static final short PROTOCOL_VERSION = 1;

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CONNECT, correlationId, 64);
        b.appendShort(protocolVersion);
        Wire.writeString(b, clientId);
        Wire.writeString(b, username);
        Wire.writeString(b, password);
        return Frame.finish(b);
    }

    public static Connect decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Connect f = new Connect(c.readShort(), c.readString(), c.readString(), c.readString());
        c.expectEnd();
        return f;
    }

    @Override
    public String toString() {
        return "Connect[version=" + protocolVersion + ", clientId=" + clientId + ", username=" + username + "]";
    }
}
