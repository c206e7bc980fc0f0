package io.heraldmq.server.replication;

import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.heraldmq.server.net.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The broker-to-broker replication port: answers BEGIN_EPOCH, FETCH, CATCH_UP_FETCH and FORWARD_PRODUCE from other
 * brokers. A
 * malformed frame closes that connection only. Record batches travel as stored, never re-encoded. With cluster TLS
 * the port speaks TLS only and serves only peers whose certificate the cluster's trust anchors verify; a refused
 * handshake (plain text, no certificate, an unknown CA) is logged and costs nothing else.
 */
public final class ReplicationServer {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationServer.class);

    private final Vertx vertx;
    // added to after the port is bound (the decision log's handlers): read by the connections' event loops
    private final Map<ReplicationFrameType, ReplicationRequestHandler> handlers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private NetServer server;
    /** Takes connections upgraded to relays (RELAY); null: RELAY is refused. */
    private volatile java.util.function.Consumer<NetSocket> relays;

    /** @param replicas the replica of a partition key's string form, or null if there is none here */
    public ReplicationServer(Vertx vertx, Function<String, PartitionReplica> replicas) {
        this.vertx = vertx;
        handlers.put(ReplicationFrameType.BEGIN_EPOCH, new BeginEpochHandler(replicas));
        handlers.put(ReplicationFrameType.FETCH, new FetchHandler(replicas));
        handlers.put(ReplicationFrameType.CATCH_UP_FETCH, new CatchUpFetchHandler(replicas));
        handlers.put(ReplicationFrameType.FORWARD_PRODUCE, new ForwardProduceHandler(replicas));
    }

    /** Answers requests of {@code type} (those of layers above replication) with {@code handler}. */
    public void handle(ReplicationFrameType type, ReplicationRequestHandler handler) {
        handlers.put(type, handler);
    }

    /**
     * @param tls the cluster's TLS; when enabled the port asks every peer for its certificate
     * @return the port bound (useful with port 0)
     */
    public Future<Integer> listen(String host, int port, ClusterTlsSettings tls) {
        // on a worker: with CRLs the options read the trust anchors and CRL files themselves
        return vertx.executeBlocking(() -> tls.enabled() ? TlsOptions.server(tls.tls(), host, port)
                : new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true), false)
                .compose(options -> listen(options, tls));
    }

    private Future<Integer> listen(NetServerOptions options, ClusterTlsSettings tls) {
        server = vertx.createNetServer(options);
        server.connectHandler(this::serve);
        if (tls.enabled()) {
            // Called for what fails before a connection is handed to serve: here, refused TLS handshakes.
            server.exceptionHandler(e -> LOG.warn("refused a replication connection: {} (a broker must present a "
                    + "certificate issued by a CA of {}tls.caFile or {}tls.trustStorePath)", describe(e),
                    ClusterTlsSettings.PREFIX, ClusterTlsSettings.PREFIX));
        }
        return server.listen().map(NetServer::actualPort);
    }

    /** What went wrong in a refused handshake, from the innermost cause that says it. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof io.netty.handler.ssl.NotSslRecordException
                || e instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "not TLS (a plain-text client?)";
        }
        return "TLS handshake failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Hands every connection that asks for RELAY, once answered, to {@code relays} (the client listener), which
     * serves it as a client connection from then on.
     */
    public void acceptRelays(java.util.function.Consumer<NetSocket> relays) {
        this.relays = relays;
    }

    /** For certificate reloads ({@link io.heraldmq.server.net.TlsReloader}). */
    Future<Boolean> updateSSLOptions(io.vertx.core.net.SSLOptions options) {
        return server.updateSSLOptions(options, true);
    }

    private void serve(NetSocket socket) {
        boolean[] relayed = {false};
        ReplicationFrameParser parser = new ReplicationFrameParser(frame -> {
            if (relayed[0]) {
                return; // the client protocol's now; the relay sends nothing before RELAY_ACCEPTED
            }
            java.util.function.Consumer<NetSocket> relayTo = relays;
            if (frame.type() == ReplicationFrameType.RELAY && relayTo != null) {
                relayed[0] = true;
                socket.handler(null);
                socket.write(RelayUpgrade.accepted());
                relayTo.accept(socket);
                return;
            }
            ReplicationRequestHandler handler = handlers.get(frame.type());
            if (handler == null) {
                LOG.warn("replication request of type {} from {} is not a request; closing", frame.type(),
                        socket.remoteAddress());
                socket.close();
                return;
            }
            handler.handle(frame).onSuccess(socket::write).onFailure(e -> {
                LOG.warn("replication request {} failed; closing", frame.type(), e);
                socket.close();
            });
        });
        socket.handler(chunk -> {
            try {
                parser.handle(chunk);
            } catch (RuntimeException e) {
                LOG.warn("malformed replication frame from {}: {}", socket.remoteAddress(), e.getMessage());
                socket.close();
            }
        });
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
