package io.heraldmq.server.net;

import io.heraldmq.protocol.FrameType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.Map;
import java.util.function.BiPredicate;
import io.heraldmq.protocol.Frame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** @param onClosed told of every connection that closes, for whatever else holds per-connection state */
    public ClientListener(Vertx vertx, Map<FrameType, RequestHandler> handlers, int maxFrameBytes,
                          Consumer<ClientConnection> onClosed) {
        this.vertx = vertx;
        this.handlers = Map.copyOf(handlers);
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
            ClientConnection c = new ClientConnection(socket, vertx.getOrCreateContext(), handlers, router, maxFrameBytes,
                    closed -> {
                        connections.remove(closed);
                        onClosed.accept(closed);
                    });
            connections.add(c);
            c.start();
        });
        return server.listen().map(NetServer::actualPort);
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
