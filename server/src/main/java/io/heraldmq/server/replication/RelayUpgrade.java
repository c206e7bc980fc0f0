package io.heraldmq.server.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Relays over the replication link. With cluster TLS a broker relaying a client to a destination's leader does not
 * use the leader's client port (which may be plain text, or trust the clients' CA only) but a replication
 * connection, mutual TLS with the brokers' certificates: it sends RELAY (an empty body), waits for RELAY_ACCEPTED,
 * and from then on both sides speak the client protocol on that connection, starting with the relay's CONNECT
 * (which presents {@code cluster.secret}, as on the client port). The relaying side sends nothing after RELAY
 * until the answer, so no client frame can be read as a replication frame.
 */
public final class RelayUpgrade {
    private static final int CORRELATION_ID = 1;

    private RelayUpgrade() {
    }

    /** The relaying side: upgrades a fresh replication connection; completes with it once the leader accepted. */
    public static Future<NetSocket> request(NetSocket socket) {
        Promise<NetSocket> accepted = Promise.promise();
        Buffer answer = Buffer.buffer();
        socket.handler(chunk -> {
            answer.appendBuffer(chunk);
            if (answer.length() < ReplicationFrame.HEADER_BYTES) {
                return;
            }
            socket.handler(null);
            if (answer.length() > ReplicationFrame.HEADER_BYTES || answer.getInt(0) != ReplicationFrame.HEADER_BYTES - 4
                    || answer.getByte(4) != ReplicationFrameType.RELAY_ACCEPTED.code()) {
                socket.close();
                accepted.tryFail("the broker did not accept a relay on its replication port");
            } else {
                accepted.tryComplete(socket);
            }
        });
        socket.closeHandler(v -> accepted.tryFail("the broker closed the replication connection instead of"
                + " accepting a relay"));
        socket.write(frame(ReplicationFrameType.RELAY)).onFailure(accepted::tryFail);
        return accepted.future();
    }

    static Buffer accepted() {
        return frame(ReplicationFrameType.RELAY_ACCEPTED);
    }

    private static Buffer frame(ReplicationFrameType type) {
        return ReplicationFrame.finish(ReplicationFrame.start(type, CORRELATION_ID, 0));
    }
}
