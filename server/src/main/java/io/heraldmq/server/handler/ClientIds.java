package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.ClusterClientIds;
import io.heraldmq.server.net.ClientConnection;
import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client ids in use: JMS allows one connection per client id. Shared by CONNECT (an id set on the factory) and
 * SET_CLIENT_ID (an id set on the connection afterwards). Safe from any event loop.
 * <p>
 * In a cluster the rule holds across brokers: after this broker's own check, the id is claimed in the cluster's
 * {@link ClusterClientIds}. Connections that relay another broker's client claim nothing (that broker did).
 */
public final class ClientIds {
    /** Client id to the connection holding it. */
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private volatile ClusterClientIds cluster;

    /** Clustered brokers: ids are claimed cluster-wide too from now on. */
    public void claimInCluster(ClusterClientIds cluster) {
        this.cluster = cluster;
    }

    /**
     * Takes {@code clientId} for the connection. Fails with INVALID_CLIENT_ID if it is empty or another connection
     * holds it (on this broker at once; on another broker of the cluster once the cluster answered).
     */
    public Future<Void> claim(String clientId, String connectionId) {
        if (clientId == null || clientId.isEmpty()) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_CLIENT_ID,
                    "client id must not be empty"));
        }
        String holder = holders.putIfAbsent(clientId, connectionId);
        if (holder != null && !holder.equals(connectionId)) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                    + "' is already in use by another connection"));
        }
        ClusterClientIds c = cluster;
        if (c == null) {
            return Future.succeededFuture();
        }
        return c.claim(clientId, connectionId).onSuccess(v -> {
            if (!connectionId.equals(holders.get(clientId))) {
                // closed while the cluster answered: its release may have come first
                c.release(clientId, connectionId);
            }
        }).recover(e -> {
            holders.remove(clientId, connectionId);
            return Future.failedFuture(e);
        });
    }

    /** Frees the client id of a closed connection. */
    public void release(ClientConnection connection) {
        if (connection.clientId() != null && !connection.isRelay()) {
            releaseId(connection.clientId(), connection.connectionId());
        }
    }

    /** Frees {@code clientId} if the connection holds it. */
    public void releaseId(String clientId, String connectionId) {
        if (holders.remove(clientId, connectionId)) {
            ClusterClientIds c = cluster;
            if (c != null) {
                c.release(clientId, connectionId);
            }
        }
    }
}
