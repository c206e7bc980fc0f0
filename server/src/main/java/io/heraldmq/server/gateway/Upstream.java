package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.SetClientId;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;

import java.util.logging.Logger;

/**
 * A client-protocol connection from this broker to the leader of some destinations, on behalf of one client
 * connection: the client's frames for those destinations go up unchanged (same consumer and correlation ids), and
 * everything the leader sends back (DELIVER, OK, ERROR, PRODUCE_ACK) goes down unchanged, so the record bytes are
 * not re-encoded on the way. Only this broker's own requests (CONNECT, SET_CLIENT_ID) use negative correlation ids,
 * which clients never do, and their answers stay here.
 * <p>
 * When the leader's connection fails, the client's connection is closed: its consumers up there are gone. (A client
 * then reconnects; resuming its consumers on the new leader without that is the next step, see the issue.)
 */
final class Upstream {
    private static final Logger LOG = Logger.getLogger(Upstream.class.getName());
    private static final int CONNECT_ID = -1;

    private final String brokerId;
    private final ClientConnection client;
    private final Future<NetSocket> socket;
    private int nextOwnId = -2;
    private boolean closed;

    Upstream(NetClient net, String brokerId, SocketAddress address, ClientConnection client) {
        this.brokerId = brokerId;
        this.client = client;
        this.socket = net.connect(address).compose(s -> {
            RecordParser parser = RecordParser.newFixed(4);
            boolean[] header = {true};
            parser.handler(chunk -> {
                if (header[0]) {
                    header[0] = false;
                    parser.fixedSizeMode(chunk.getInt(0));
                    return;
                }
                header[0] = true;
                parser.fixedSizeMode(4);
                int correlationId = chunk.getInt(1);
                if (correlationId < 0) {
                    if (chunk.getByte(0) == FrameType.ERROR.code()) {
                        LOG.warning(() -> "leader " + brokerId + " refused a relay request for "
                                + client.connectionId());
                        close();
                    }
                    return;
                }
                client.send(Buffer.buffer(4 + chunk.length()).appendInt(chunk.length()).appendBuffer(chunk));
            });
            s.handler(parser);
            s.closeHandler(v -> lost());
            s.exceptionHandler(e -> s.close());
            return s.write(new Connect(Connect.PROTOCOL_VERSION, client.clientId(), null, null)
                    .encode(CONNECT_ID)).map(s);
        });
        socket.onFailure(e -> lost());
    }

    String brokerId() {
        return brokerId;
    }

    /** Relays a client frame, after every frame relayed before it. */
    void send(Buffer frame) {
        socket.onSuccess(s -> s.write(frame));
    }

    /** The client set its client id after this connection was made. */
    void clientIdSet(String clientId) {
        send(new SetClientId(clientId).encode(nextOwnId--));
    }

    void close() {
        closed = true;
        socket.onSuccess(NetSocket::close);
    }

    private void lost() {
        if (!closed) {
            closed = true;
            LOG.warning(() -> "lost the relay to leader " + brokerId + " of " + client.connectionId()
                    + "; closing the client's connection");
            client.send(new ErrorFrame(io.heraldmq.protocol.ErrorCode.NOT_LEADER, "the connection to broker "
                    + brokerId + ", which leads destinations this connection uses, was lost").encode(0));
            client.close();
        }
    }
}
