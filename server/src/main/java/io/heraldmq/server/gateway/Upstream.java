package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.SetClientId;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A client-protocol connection from this broker to the leader of some destinations, on behalf of one client
 * connection: the client's frames for those destinations go up unchanged (same consumer and correlation ids), and
 * everything the leader sends back (DELIVER, OK, ERROR, PRODUCE_ACK) goes down unchanged, so the record bytes are
 * not re-encoded on the way. This broker's own requests (CONNECT, SET_CLIENT_ID, re-subscriptions) use negative
 * correlation ids, which clients never use; their answers stay here. The CONNECT names the client's user with the
 * cluster secret as password, so the leader authorizes the relayed requests as that user's.
 * <p>
 * Requests that expect an answer are remembered until it comes ({@link #unanswered}), so that when the connection
 * is lost (the leader died, or stopped leading and closed it) the router can send them again to the new leader.
 */
final class Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    private static final int CONNECT_ID = -1;

    private final String brokerId;
    private final ClientConnection client;
    private final Future<NetSocket> socket;
    /** Client requests sent up and not answered yet, by correlation id, in sending order. */
    private final Map<Integer, Buffer> unanswered = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger ownIds;
    /** This broker's own requests that want their answer ({@link #request}), by their (negative) correlation id. */
    private final Map<Integer, io.vertx.core.Promise<io.heraldmq.protocol.Frame>> ownAnswers =
            new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param secret {@code cluster.secret}: the CONNECT names the client's user with it as password, and the leader
     *               treats this connection as that user (null: none configured, no users anywhere)
     * @param lost   told once, on the upstream's context, when the connection fails (not when closed here)
     * @param overReplication {@code address} is the leader's replication port (cluster TLS): the connection is
     *                        upgraded to a relay first ({@link io.heraldmq.server.replication.RelayUpgrade})
     */
    Upstream(NetClient net, String brokerId, SocketAddress address, ClientConnection client, String secret,
             java.util.concurrent.atomic.AtomicInteger ownIds, Consumer<Upstream> lost, boolean overReplication) {
        this.brokerId = brokerId;
        this.client = client;
        this.ownIds = ownIds;
        this.socket = net.connect(address).compose(s -> overReplication
                ? io.heraldmq.server.replication.RelayUpgrade.request(s) : Future.succeededFuture(s)).compose(s -> {
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
                    io.vertx.core.Promise<io.heraldmq.protocol.Frame> asked = ownAnswers.remove(correlationId);
                    if (asked != null) {
                        asked.tryComplete(new io.heraldmq.protocol.Frame(FrameType.of(chunk.getByte(0)),
                                correlationId, chunk.slice(5, chunk.length()).copy()));
                        return;
                    }
                    if (chunk.getByte(0) == FrameType.ERROR.code()) {
                        // A consumer the relay subscribed again, or the relay itself, was refused: rather than
                        // leave a consumer silently dead, close the client's connection; its client fails over
                        // and subscribes again itself.
                        LOG.warn("leader {} refused a request of the relay for {}; closing that connection", brokerId,
                                client.connectionId());
                        client.close();
                    }
                    return;
                }
                if (correlationId != 0) {
                    unanswered.remove(correlationId);
                }
                client.send(Buffer.buffer(4 + chunk.length()).appendInt(chunk.length()).appendBuffer(chunk));
            });
            s.handler(parser);
            s.closeHandler(v -> {
                failOwnRequests();
                if (!closed) {
                    closed = true;
                    lost.accept(this);
                }
            });
            s.exceptionHandler(e -> s.close());
            return s.write(new Connect(Connect.PROTOCOL_VERSION, client.clientId(), client.user(), secret,
                    client.connectionId()).encode(CONNECT_ID)).map(s);
        });
        socket.onFailure(e -> {
            failOwnRequests();
            if (!closed) {
                closed = true;
                lost.accept(this);
            }
        });
    }

    String brokerId() {
        return brokerId;
    }

    /** Relays a client frame, after every frame relayed before it. */
    void send(Buffer frame) {
        int correlationId = frame.getInt(5);
        if (correlationId > 0 && expectsAnswer(frame)) {
            unanswered.put(correlationId, frame);
        }
        socket.onSuccess(s -> s.write(frame));
    }

    /** Sends one of this broker's own requests (its answer is not relayed). */
    void sendOwn(Buffer frame) {
        socket.onSuccess(s -> s.write(frame));
    }

    /**
     * Sends one of this broker's own requests ({@code frame} built with {@link #nextOwnId}) and completes with its
     * answer; fails when the connection is lost or closed first (the answer may then have been lost: the leader
     * may have done the request).
     */
    io.vertx.core.Future<io.heraldmq.protocol.Frame> request(Buffer frame) {
        io.vertx.core.Promise<io.heraldmq.protocol.Frame> answer = io.vertx.core.Promise.promise();
        int correlationId = frame.getInt(5);
        ownAnswers.put(correlationId, answer);
        if (closed) {
            failOwnRequests();
        } else {
            socket.onSuccess(s -> s.write(frame));
        }
        return answer.future();
    }

    private void failOwnRequests() {
        for (Integer id : List.copyOf(ownAnswers.keySet())) {
            io.vertx.core.Promise<io.heraldmq.protocol.Frame> p = ownAnswers.remove(id);
            if (p != null) {
                p.tryFail("the connection to broker " + brokerId + " was lost");
            }
        }
    }

    int nextOwnId() {
        return ownIds.decrementAndGet();
    }

    /** The client set its client id after this connection was made. */
    void clientIdSet(String clientId) {
        sendOwn(new SetClientId(clientId).encode(nextOwnId()));
    }

    /** The requests that got no answer, in the order they were sent. */
    List<Buffer> unanswered() {
        return unanswered.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                .toList();
    }

    void close() {
        closed = true;
        failOwnRequests();
        socket.onSuccess(NetSocket::close);
    }

    /** A PRODUCE without FLAG_ACK, CREDIT and DELIVER get no answer; everything else with an id does. */
    private static boolean expectsAnswer(Buffer frame) {
        byte type = frame.getByte(4);
        if (type == FrameType.PRODUCE.code()) {
            return (frame.getByte(9) & Produce.FLAG_ACK) != 0;
        }
        return type != FrameType.CREDIT.code();
    }
}
