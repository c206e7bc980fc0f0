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
 * string relayFor         optional (absent from clients): set by a clustered broker that relays a client's frames to
 *                         the leader of its destinations; the id of the client's connection on that broker, which
 *                         holds the client id, so that this connection does not claim it a second time
 * </pre>
 */
public record Connect(short protocolVersion, String clientId, String username, String password, String relayFor) {
    public static final short PROTOCOL_VERSION = 1;

    /** A client's CONNECT. */
    public Connect(short protocolVersion, String clientId, String username, String password) {
        this(protocolVersion, clientId, username, password, null);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CONNECT, correlationId, 64);
        b.appendShort(protocolVersion);
        Wire.writeString(b, clientId);
        Wire.writeString(b, username);
        Wire.writeString(b, password);
        if (relayFor != null) {
            Wire.writeString(b, relayFor);
        }
        return Frame.finish(b);
    }

    public static Connect decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        short version = c.readShort();
        String clientId = c.readString();
        String username = c.readString();
        String password = c.readString();
        String relayFor = c.remaining() > 0 ? c.readString() : null;
        Connect f = new Connect(version, clientId, username, password, relayFor);
        c.expectEnd();
        return f;
    }

    @Override
    public String toString() {
        return "Connect[version=" + protocolVersion + ", clientId=" + clientId + ", username=" + username
                + (relayFor == null ? "" : ", relayFor=" + relayFor) + "]";
    }
}
