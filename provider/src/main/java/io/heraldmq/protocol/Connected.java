package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CONNECTED: the broker's answer to {@link Connect}. Body:
 * <pre>
 * int16  protocolVersion  the broker's version
 * string brokerId         identifies the broker node
 * string connectionId     unique id of this connection; producers stamp it on messages for noLocal
 * int32  maxMessageBytes  largest record (encoded message) the broker accepts
 * byte   stampUserId      optional, present (as 1) only when the broker populates JMSXUserID: the client then sets
 *                         property JMSXUserID of every message it sends to the next field (removes it when null),
 *                         which spares the broker re-encoding the batch (it checks, and rewrites what does not match)
 * string userId           only with stampUserId: the connection's authenticated user, null for anonymous
 * int32  heartbeatMs      optional, only in answer to a CONNECT that announced heartbeats (then stampUserId is
 *                         present, as 0 or 1): the interval the broker holds the client to (its
 *                         {@code heartbeatMs}, raised to the broker's minimum); the client sends PING after that long
 *                         without writing, and takes a broker silent for {@code 3 x heartbeatMs} as lost
 * </pre>
 * The optional fields are absent unless the broker populates JMSXUserID or the client asked for heartbeats, so that
 * clients of before they existed still connect to brokers that do not.
 *
 * @param stampUserId whether the client stamps JMSXUserID with {@code userId}
 * @param userId      the value to stamp; null = no JMSXUserID
 * @param heartbeatMs the heartbeat interval agreed; 0 = no heartbeats
 */
public record Connected(short protocolVersion, String brokerId, String connectionId, int maxMessageBytes,
                        boolean stampUserId, String userId, int heartbeatMs) {
    public Connected(short protocolVersion, String brokerId, String connectionId, int maxMessageBytes) {
        this(protocolVersion, brokerId, connectionId, maxMessageBytes, false, null, 0);
    }

    public Connected(short protocolVersion, String brokerId, String connectionId, int maxMessageBytes,
                     boolean stampUserId, String userId) {
        this(protocolVersion, brokerId, connectionId, maxMessageBytes, stampUserId, userId, 0);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CONNECTED, correlationId, 64);
        b.appendShort(protocolVersion);
        Wire.writeString(b, brokerId);
        Wire.writeString(b, connectionId);
        b.appendInt(maxMessageBytes);
        if (stampUserId) {
            b.appendByte((byte) 1);
            Wire.writeString(b, userId);
        } else if (heartbeatMs > 0) {
            b.appendByte((byte) 0);
        }
        if (heartbeatMs > 0) {
            b.appendInt(heartbeatMs);
        }
        return Frame.finish(b);
    }

    public static Connected decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        short version = c.readShort();
        String brokerId = c.readString();
        String connectionId = c.readString();
        int maxMessageBytes = c.readInt();
        boolean stamp = c.remaining() > 0 && c.readByte() == 1;
        String userId = stamp ? c.readString() : null;
        int heartbeatMs = c.remaining() > 0 ? c.readInt() : 0;
        c.expectEnd();
        return new Connected(version, brokerId, connectionId, maxMessageBytes, stamp, userId, heartbeatMs);
    }
}
