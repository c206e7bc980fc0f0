package io.heraldmq.server.replication;

import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.heraldmq.server.net.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * This broker's replication connections to the other brokers: one TCP connection per peer, made on first use and
 * again after it fails, shared by every partition (requests are told apart by correlation id). A request that gets
 * no answer within {@link #REQUEST_TIMEOUT_MS} fails and closes the connection: a peer cut off by the network
 * sends no reset, and a fresh connection is the way to find out. With cluster TLS every connection presents this
 * broker's certificate and accepts only a peer that the cluster's trust anchors verify; a refused handshake is
 * logged at most every {@value #REFUSAL_LOG_INTERVAL_MS} ms per peer (each request tries again).
 */
public final class ReplicationPeers {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationPeers.class);
    /** Longer than a leader holds a fetch ({@link PartitionReplica#FETCH_WAIT_MS}). */
    static final long REQUEST_TIMEOUT_MS = 3_000;
    static final long REFUSAL_LOG_INTERVAL_MS = 30_000;

    private final Vertx vertx;
    private final NetClient client;
    private final Function<String, SocketAddress> addresses;
    private final Map<String, Future<PeerConnection>> connections = new ConcurrentHashMap<>();
    private final AtomicInteger correlation = new AtomicInteger();
    /** When a refused handshake with a peer was last logged, by broker id. */
    private final Map<String, Long> refusalsLogged = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param addresses a broker id's replication address, or null while it is not a member
     * @param options   the connections' options, from {@link #options}
     */
    public ReplicationPeers(Vertx vertx, Function<String, SocketAddress> addresses, NetClientOptions options) {
        this.vertx = vertx;
        this.addresses = addresses;
        this.client = vertx.createNetClient(options);
    }

    /**
     * The options of the connections to the other brokers under the cluster's TLS. With CRLs this reads the trust
     * anchors and CRL files: call on a worker.
     */
    public static NetClientOptions options(ClusterTlsSettings tls) {
        NetClientOptions options = tls.enabled() ? TlsOptions.client(tls.tls(), tls.verifyHost())
                : new NetClientOptions();
        return options.setTcpNoDelay(true).setConnectTimeout(2_000).setReconnectAttempts(0);
    }

    /** For certificate reloads ({@link io.heraldmq.server.net.TlsReloader}). */
    Future<Boolean> updateSSLOptions(io.vertx.core.net.SSLOptions options) {
        return client.updateSSLOptions(options, true);
    }

    public int nextCorrelationId() {
        int id = correlation.incrementAndGet();
        return id == 0 ? correlation.incrementAndGet() : id;
    }

    /**
     * Sends one request frame (its correlation id is read from the frame) to the broker and completes with the
     * answer, on the connection's context.
     */
    public Future<ReplicationFrame> request(String brokerId, Buffer frame) {
        if (closed) {
            return Future.failedFuture(new NotSentException("replication closed"));
        }
        return connection(brokerId).compose(c -> c.request(frame));
    }

    private Future<PeerConnection> connection(String brokerId) {
        Future<PeerConnection> existing = connections.get(brokerId);
        if (existing != null && !(existing.isComplete() && (existing.failed() || existing.result().isClosed()))) {
            return existing;
        }
        SocketAddress address = addresses.apply(brokerId);
        if (address == null) {
            return Future.failedFuture(new NotSentException("broker " + brokerId + " is not a member"));
        }
        Future<PeerConnection> made = client.connect(address)
                .recover(e -> {
                    if (isHandshakeRefusal(e)) {
                        logRefusal(brokerId, address, e);
                    }
                    return Future.failedFuture(new NotSentException("cannot connect to broker " + brokerId
                            + " at " + address + ": " + e.getMessage()));
                })
                .map(socket -> new PeerConnection(brokerId, socket));
        connections.put(brokerId, made);
        return made;
    }

    private static boolean isHandshakeRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private void logRefusal(String brokerId, SocketAddress address, Throwable e) {
        long now = System.currentTimeMillis();
        Long last = refusalsLogged.get(brokerId);
        if (last == null || now - last >= REFUSAL_LOG_INTERVAL_MS) {
            refusalsLogged.put(brokerId, now);
            LOG.warn("replication connection to broker {} at {} refused: {} (its certificate must be issued by a CA "
                    + "of {}tls.caFile or {}tls.trustStorePath and, with {}, name {}; and it must accept ours)",
                    brokerId, address, ReplicationServer.describe(e), ClusterTlsSettings.PREFIX,
                    ClusterTlsSettings.PREFIX, ClusterTlsSettings.VERIFY_HOST_KEY, address.host());
        }
    }

    /** The broker left the cluster: drop its connection, failing what waits on it. */
    public void forget(String brokerId) {
        Future<PeerConnection> c = connections.remove(brokerId);
        if (c != null) {
            c.onSuccess(PeerConnection::close);
        }
    }

    public Future<Void> close() {
        closed = true;
        for (String id : connections.keySet()) {
            forget(id);
        }
        return client.close();
    }

    /** The request never left this broker: retrying it cannot store anything twice. */
    public static final class NotSentException extends RuntimeException {
        NotSentException(String message) {
            super(message, null, false, false);
        }
    }

    private final class PeerConnection {
        private final String brokerId;
        private final NetSocket socket;
        private final Map<Integer, Promise<ReplicationFrame>> pending = new ConcurrentHashMap<>();
        private volatile boolean isClosed;

        PeerConnection(String brokerId, NetSocket socket) {
            this.brokerId = brokerId;
            this.socket = socket;
            socket.handler(new ReplicationFrameParser(frame -> {
                Promise<ReplicationFrame> p = pending.remove(frame.correlationId());
                if (p != null) {
                    p.tryComplete(frame);
                }
            }));
            socket.exceptionHandler(e -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("replication connection to {} failed: {}", brokerId, String.valueOf(e));
                }
                close();
            });
            socket.closeHandler(v -> failAll());
        }

        boolean isClosed() {
            return isClosed;
        }

        Future<ReplicationFrame> request(Buffer frame) {
            int id = frame.getInt(5);
            Promise<ReplicationFrame> p = Promise.promise();
            pending.put(id, p);
            long timer = vertx.setTimer(REQUEST_TIMEOUT_MS, t -> {
                if (pending.remove(id) != null) {
                    p.tryFail("no answer from broker " + brokerId + " within " + REQUEST_TIMEOUT_MS + " ms");
                    close();
                }
            });
            socket.write(frame).onFailure(e -> {
                pending.remove(id);
                p.tryFail(e);
            });
            return p.future().andThen(ar -> vertx.cancelTimer(timer));
        }

        void close() {
            isClosed = true;
            socket.close();
            failAll();
        }

        private void failAll() {
            isClosed = true;
            for (Integer id : pending.keySet()) {
                Promise<ReplicationFrame> p = pending.remove(id);
                if (p != null) {
                    p.tryFail("replication connection to broker " + brokerId + " closed");
                }
            }
        }
    }
}
