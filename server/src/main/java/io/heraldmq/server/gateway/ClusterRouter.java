package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.SetClientId;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a client's requests for destinations another broker leads to that broker ({@link Upstream}), unchanged,
 * and lets everything else be handled here. Runs on the client connection's event loop, before the request
 * handlers.
 * <ul>
 * <li>PRODUCE and SUBSCRIBE go where their destination's leader is; CREDIT, ACK and consumer CLOSE follow their
 * consumer.</li>
 * <li>COMMIT goes up whole when every batch and every acknowledged consumer belongs to one other broker; a
 * transaction spanning brokers is refused (TransactionRolledBackException) until it can be made atomic.</li>
 * <li>SET_CLIENT_ID is handled here and repeated on every upstream; temporary destinations, UNSUBSCRIBE and ADMIN
 * stay here.</li>
 * </ul>
 */
public final class ClusterRouter {
    /** How long requests for a new destination wait for the table to name its leader. */
    static final long LEADER_WAIT_MS = 10_000;

    private final Vertx vertx;
    private final LeaderDirectory leaders;
    private final NetClient net;
    private final Map<ClientConnection, Routes> routes = new ConcurrentHashMap<>();

    /** One client connection's upstreams and where its consumers live. Its event loop only. */
    private static final class Routes {
        final Map<String, Upstream> upstreams = new HashMap<>();
        final Map<Integer, Upstream> consumers = new HashMap<>();
        /** While set and not complete, requests wait behind it in arrival order. */
        Future<Void> barrier;
    }

    public ClusterRouter(Vertx vertx, LeaderDirectory leaders) {
        this.vertx = vertx;
        this.leaders = leaders;
        this.net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
    }

    /**
     * @return whether the router took the frame: relayed it, or queued it behind a destination whose leader is not
     * known yet (else the local handler takes it now)
     */
    public boolean route(ClientConnection connection, Frame frame) {
        Routes r = routes.get(connection);
        if (r != null && r.barrier != null) {
            if (!r.barrier.isComplete()) {
                r.barrier = r.barrier.eventually(() -> {
                    dispatch(connection, frame);
                    return Future.succeededFuture();
                });
                return true;
            }
            r.barrier = null;
        }
        String[] unknown = unknownLeader(frame);
        if (unknown != null) {
            // Until the table names the new destination's leader, this connection's requests wait in order.
            Routes routes = routes(connection);
            routes.barrier = leaders.leaderWhenKnown(vertx, unknown[0].equals("q"), unknown[1], LEADER_WAIT_MS)
                    .<Void>mapEmpty().eventually(() -> {
                        dispatch(connection, frame);
                        return Future.succeededFuture();
                    });
            return true;
        }
        return routeNow(connection, frame);
    }

    /** Routes or handles a held-back request, on the connection's event loop. */
    private void dispatch(ClientConnection connection, Frame frame) {
        connection.context().runOnContext(v -> {
            if (connection.isClosed()) {
                return;
            }
            try {
                if (!routeNow(connection, frame)) {
                    connection.handleLocally(frame);
                }
            } catch (io.heraldmq.protocol.ProtocolException e) {
                connection.fail(e);
            }
        });
    }

    /** {kind, name} of a PRODUCE or SUBSCRIBE whose clustered destination has no known leader yet, else null. */
    private String[] unknownLeader(Frame frame) {
        DestinationKind kind;
        String name;
        if (frame.type() == FrameType.PRODUCE) {
            Produce p = Produce.decode(frame.body());
            kind = p.kind();
            name = p.destination();
        } else if (frame.type() == FrameType.SUBSCRIBE) {
            Subscribe s = Subscribe.decode(frame.body());
            kind = s.kind();
            name = s.destination();
        } else {
            return null;
        }
        if (kind.isTemporary() || leaders.leaderOf(kind.isQueue(), name) != null) {
            return null;
        }
        return new String[]{kind.isQueue() ? "q" : "t", name};
    }

    private boolean routeNow(ClientConnection connection, Frame frame) {
        switch (frame.type()) {
            case PRODUCE -> {
                Produce p = Produce.decode(frame.body());
                return relay(connection, upstreamFor(connection, p.kind(), p.destination()), frame);
            }
            case SUBSCRIBE -> {
                Subscribe s = Subscribe.decode(frame.body());
                Upstream up = upstreamFor(connection, s.kind(), s.destination());
                if (up != null) {
                    routes(connection).consumers.put(s.consumerId(), up);
                }
                return relay(connection, up, frame);
            }
            case CREDIT -> {
                return relay(connection, consumerRoute(connection, Credit.decode(frame.body()).consumerId()), frame);
            }
            case ACK -> {
                return relay(connection, consumerRoute(connection, Ack.decode(frame.body()).consumerId()), frame);
            }
            case CLOSE -> {
                Close c = Close.decode(frame.body());
                if (c.what() != Close.CONSUMER) {
                    return false;
                }
                Routes r = routes.get(connection);
                Upstream up = r == null ? null : r.consumers.remove(c.id());
                return relay(connection, up, frame);
            }
            case COMMIT -> {
                return routeCommit(connection, frame);
            }
            case SET_CLIENT_ID -> {
                Routes r = routes.get(connection);
                if (r != null) {
                    String id = SetClientId.decode(frame.body()).clientId();
                    r.upstreams.values().forEach(u -> u.clientIdSet(id));
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean routeCommit(ClientConnection connection, Frame frame) {
        Commit commit = Commit.decode(frame.body());
        Upstream target = null;
        boolean local = false;
        for (Commit.Send s : commit.sends()) {
            Upstream up = upstreamFor(connection, s.kind(), s.destination());
            if (up == null) {
                local = true;
            } else if (target != null && target != up) {
                return refuseSpanning(connection, frame);
            } else {
                target = up;
            }
        }
        for (Commit.Consumed c : commit.consumed()) {
            Upstream up = consumerRoute(connection, c.consumerId());
            if (up == null) {
                local = true;
            } else if (target != null && target != up) {
                return refuseSpanning(connection, frame);
            } else {
                target = up;
            }
        }
        if (target != null && local) {
            return refuseSpanning(connection, frame);
        }
        return relay(connection, target, frame);
    }

    private static boolean refuseSpanning(ClientConnection connection, Frame frame) {
        connection.replyError(frame.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, "this transaction uses"
                + " destinations led by different brokers; such transactions are not supported yet");
        return true;
    }

    private Upstream consumerRoute(ClientConnection connection, int consumerId) {
        Routes r = routes.get(connection);
        return r == null ? null : r.consumers.get(consumerId);
    }

    /** The upstream to the destination's leader, made on first use; null when this broker serves it. */
    private Upstream upstreamFor(ClientConnection connection, DestinationKind kind, String destination) {
        if (kind.isTemporary()) {
            return null;
        }
        String leader = leaders.leaderOf(kind.isQueue(), destination);
        if (leader == null || leader.equals(leaders.localId())) {
            return null;
        }
        SocketAddress address = leaders.clientAddressOf(leader);
        if (address == null) {
            return null;
        }
        Routes r = routes(connection);
        return r.upstreams.computeIfAbsent(leader, id -> new Upstream(net, id, address, connection));
    }

    private Routes routes(ClientConnection connection) {
        return routes.computeIfAbsent(connection, c -> new Routes());
    }

    private static boolean relay(ClientConnection connection, Upstream up, Frame frame) {
        if (up == null) {
            return false;
        }
        Buffer raw = Frame.start(frame.type(), frame.correlationId(), frame.body().length())
                .appendBuffer(frame.body());
        up.send(Frame.finish(raw));
        return true;
    }

    /** The client's connection is gone: so are its upstreams. */
    public void connectionClosed(ClientConnection connection) {
        Routes r = routes.remove(connection);
        if (r != null) {
            r.upstreams.values().forEach(Upstream::close);
        }
    }

    public void close() {
        net.close();
    }

}
