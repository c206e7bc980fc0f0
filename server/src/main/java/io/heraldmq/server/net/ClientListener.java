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

/** The client port: accepts sockets and gives each a {@link ClientConnection}. */
public final class ClientListener {
    private final Vertx vertx;
    private final Map<FrameType, RequestHandler> handlers;
    private final int maxFrameBytes;
    private final Consumer<ClientConnection> onClosed;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private NetServer server;
    private BiPredicate<ClientConnection, Frame> router;
    private final List<NetSocket> held = new ArrayList<>();
    private boolean holding;

    /** @param onClosed told of every connection that closes, for whatever else holds per-connection state */
    public ClientListener(Vertx vertx, Map<FrameType, RequestHandler> handlers, int maxFrameBytes,
                          Consumer<ClientConnection> onClosed) {
        this.vertx = vertx;
        // not copied: a clustered broker fills it in after binding, before it serves a connection
        this.handlers = handlers;
        this.maxFrameBytes = maxFrameBytes;
        this.onClosed = onClosed;
    }

    /**
     * Clustered brokers: {@code router} sees every request after CONNECT before the handlers do and takes those it
     * relays to another broker (returns true). Call before {@link #listen}.
     */
    public void routeWith(BiPredicate<ClientConnection, Frame> router) {
        this.router = router;
    }

    /** @return the bound port */
    public Future<Integer> listen(String host, int port) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setReuseAddress(true);
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            synchronized (held) {
                if (holding) {
                    socket.pause();
                    held.add(socket);
                    return;
                }
            }
            serve(socket);
        });
        return server.listen().map(NetServer::actualPort);
    }

    private void serve(NetSocket socket) {
        ClientConnection c = new ClientConnection(socket, vertx.getOrCreateContext(), handlers, router, maxFrameBytes,
                closed -> {
                    connections.remove(closed);
                    onClosed.accept(closed);
                });
        connections.add(c);
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
        if (server == null) {
            return Future.succeededFuture();
        }
        connections.forEach(ClientConnection::close);
        return server.close();
    }
}
