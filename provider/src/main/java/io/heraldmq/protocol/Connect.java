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
 *                         holds the client id, so that this connection does not claim it a second time; null
 *                         from clients that send the next field
 * int32  heartbeatMs      optional, only after relayFor: the client sends PING whenever it has written nothing for
 *                         this long, and asks the broker to close the connection when it hears nothing for
 *                         {@code heartbeat.missed.max} such intervals. Absent (or 0): no heartbeats, so the broker
 *                         never closes the connection for silence (clients of before heartbeats existed)
 * </pre>
 * A CONNECT without heartbeat is byte for byte what clients of before heartbeats sent; one with heartbeat is refused
 * by brokers of before heartbeats (their decoder expects the end after relayFor): a new client talks to an old broker
 * only with {@code heartbeatMs=0} in its URL.
 */
public record Connect(short protocolVersion, String clientId, String username, String password, String relayFor,
                     int heartbeatMs) {
    public static final short PROTOCOL_VERSION = 1;

    /** A client's CONNECT without heartbeats. */
    public Connect(short protocolVersion, String clientId, String username, String password) {
        this(protocolVersion, clientId, username, password, null, 0);
    }

    /** A CONNECT without heartbeats, possibly a relay's. */
    public Connect(short protocolVersion, String clientId, String username, String password, String relayFor) {
        this(protocolVersion, clientId, username, password, relayFor, 0);
    }

    /** This CONNECT announcing heartbeats every {@code ms} (0 = none). */
    public Connect withHeartbeat(int ms) {
        return new Connect(protocolVersion, clientId, username, password, relayFor, ms);
    }

    /** This CONNECT with another client id (set after the connection opened, presented when reconnecting). */
    public Connect withClientId(String newClientId) {
        return new Connect(protocolVersion, newClientId, username, password, relayFor, heartbeatMs);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CONNECT, correlationId, 64);
        b.appendShort(protocolVersion);
        Wire.writeString(b, clientId);
        Wire.writeString(b, username);
        Wire.writeString(b, password);
        if (relayFor != null || heartbeatMs > 0) {
            Wire.writeString(b, relayFor);
        }
        if (heartbeatMs > 0) {
            b.appendInt(heartbeatMs);
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
        int heartbeatMs = c.remaining() > 0 ? c.readInt() : 0;
        if (heartbeatMs < 0) {
            throw new ProtocolException("negative heartbeat interval " + heartbeatMs);
        }
        Connect f = new Connect(version, clientId, username, password, relayFor, heartbeatMs);
        c.expectEnd();
        return f;
    }

    @Override
    public String toString() {
        return "Connect[version=" + protocolVersion + ", clientId=" + clientId + ", username=" + username
                + (relayFor == null ? "" : ", relayFor=" + relayFor)
                + (heartbeatMs == 0 ? "" : ", heartbeatMs=" + heartbeatMs) + "]";
    }
}
