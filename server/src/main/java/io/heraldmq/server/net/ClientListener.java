package io.heraldmq.server.net;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The client ports, plain and TLS: accept sockets and give each a {@link ClientConnection}, counted by
 * {@link ConnectionLimits}.
 */
public final class ClientListener {
    private final Vertx vertx;
    private final Map<FrameType, RequestHandler> handlers;
    private final int maxFrameBytes;
    private final LimitSettings limitSettings;
    private final ConnectionLimits limits;
    private final Consumer<ClientConnection> onClosed;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<NetServer> servers = new ArrayList<>();
    private volatile TlsReloader reloader;
    private BiPredicate<ClientConnection, Frame> router;
    private final List<NetSocket> held = new ArrayList<>();
    private boolean holding;

    /** @param onClosed told of every connection that closes, for whatever else holds per-connection state */
    public ClientListener(Vertx vertx, Map<FrameType, RequestHandler> handlers, int maxFrameBytes,
                          LimitSettings limitSettings, ConnectionLimits limits, Consumer<ClientConnection> onClosed) {
        this.vertx = vertx;
        // not copied: a clustered broker fills it in after binding, before it serves a connection
        this.handlers = handlers;
        this.maxFrameBytes = maxFrameBytes;
        this.limitSettings = limitSettings;
        this.limits = limits;
        this.onClosed = onClosed;
    }

    /**
     * Clustered brokers: {@code router} sees every request after CONNECT before the handlers do and takes those it
     * relays to another broker (returns true). Call before {@link #listen}.
     */
    public void routeWith(BiPredicate<ClientConnection, Frame> router) {
        this.router = router;
    }

    /** Opens the plain-text port. @return the bound port */
    public Future<Integer> listen(String host, int port) {
        return listen(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true).setReuseAddress(true))
                .map(NetServer::actualPort);
    }

    /**
     * Opens the TLS port and reloads its key material when the files change ({@link TlsReloader}).
     *
     * @return the bound port
     */
    public Future<Integer> listenTls(String host, TlsSettings tls) {
        // on a worker: with CRLs the options read the trust anchors and CRL files themselves
        return vertx.executeBlocking(() -> TlsOptions.server(tls, host, tls.port()), false).compose(this::listen)
                .map(server -> {
                    reloader = new TlsReloader(vertx, tls, "the TLS client port",
                            List.of(options -> server.updateSSLOptions(options, true)));
                    reloader.start();
                    return server.actualPort();
                });
    }

    private Future<NetServer> listen(NetServerOptions options) {
        NetServer server = vertx.createNetServer(options);
        synchronized (servers) {
            servers.add(server);
        }
        server.connectHandler(this::accept);
        return server.listen();
    }

    /**
     * Serves a socket accepted elsewhere as a client connection: a relay of another broker that came over the
     * replication link (cluster TLS). Called on the socket's context.
     */
    public void accept(NetSocket socket) {
        synchronized (held) {
            if (holding) {
                socket.pause();
                held.add(socket);
                return;
            }
        }
        serve(socket);
    }

    private void serve(NetSocket socket) {
        ClientConnection c = new ClientConnection(socket, vertx.getOrCreateContext(), handlers, router, maxFrameBytes,
                limitSettings, closed -> {
                    connections.remove(closed);
                    limits.closed(closed);
                    onClosed.accept(closed);
                });
        connections.add(c);
        limits.opened(c);
        c.start();
    }

    /**
     * Accepts connections from {@link #listen} on but serves none until {@link #ready}: a clustered broker binds its
     * port first (the cluster must know it) and opens its destinations after joining.
     */
    public void holdUntilReady() {
        synchronized (held) {
            holding = true;
        }
    }

    /** Serves the connections held so far and every later one. */
    public void ready() {
        List<NetSocket> waiting;
        synchronized (held) {
            holding = false;
            waiting = List.copyOf(held);
            held.clear();
        }
        for (NetSocket socket : waiting) {
            serve(socket);
            socket.resume();
        }
    }

    /**
     * Closes every connection with a consumer on {@code topic} (checked on each connection's event loop): this
     * broker no longer leads it, and its consumers must subscribe again where it is led now.
     */
    public void closeConsumersOf(io.heraldmq.server.partition.Topic topic) {
        for (ClientConnection c : connections) {
            c.context().runOnContext(v -> {
                if (c.consumes(topic)) {
                    c.close();
                }
            });
        }
    }

    /** The open connections, for the meters (a concurrent set: iterating it is safe from any thread). */
    public java.util.Collection<ClientConnection> connections() {
        return java.util.Collections.unmodifiableSet(connections);
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting and closes every connection. */
    public Future<Void> close() {
        if (reloader != null) {
            reloader.stop();
        }
        List<NetServer> all;
        synchronized (servers) {
            all = List.copyOf(servers);
        }
        if (all.isEmpty()) {
            return Future.succeededFuture();
        }
        connections.forEach(ClientConnection::close);
        return Future.join(all.stream().map(NetServer::close).toList()).mapEmpty();
    }
}
