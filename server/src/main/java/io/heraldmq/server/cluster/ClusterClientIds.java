package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The client ids held anywhere in the cluster, in the Hazelcast map {@value #MAP}: client id to
 * {@code "<broker id> <connection id>"} of the connection holding it, written by the broker the client connected to.
 * <p>
 * An entry whose broker is not a member any more is stale (that broker died with the connection) and is taken over
 * by the next claim; so is one of this broker's own that its local check did not find (left by this broker before a
 * crash, since connection ids restart with the process). A broker also drops its own entries when it joins.
 * <p>
 * What this map cannot give: during a network split each side may hand the same id to a connection, since
 * Hazelcast's maps are AP. Client ids guard against a misconfigured application, not against data loss, and nothing
 * in the log depends on them, so that is accepted. After a broker's crash its clients may be refused their id until
 * the cluster notices the loss (about a second for a killed process, {@link ClusterMembership} for a cut network);
 * a failing-over client retries meanwhile. Hazelcast is called on workers only.
 */
public final class ClusterClientIds {
    static final String MAP = "heraldmq.client-ids";

    private final Vertx vertx;
    private final ClusterMembership membership;
    private final IMap<String, String> map;

    private ClusterClientIds(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.membership = membership;
        this.map = membership.hazelcast().getMap(MAP);
    }

    /** Drops what this broker held before (a restart: none of those connections exists now). */
    public static Future<ClusterClientIds> start(ClusterMembership membership) {
        ClusterClientIds ids = new ClusterClientIds(membership);
        return ids.vertx.executeBlocking(() -> {
            ids.map.removeAll(Predicates.like("this", likeEscaped(membership.localId()) + " %"));
            return ids;
        }, false);
    }

    /** Claims {@code clientId} for a connection of this broker; fails with INVALID_CLIENT_ID if another holds it. */
    public Future<Void> claim(String clientId, String connectionId) {
        String mine = membership.localId() + " " + connectionId;
        return vertx.executeBlocking(() -> {
            for (int attempt = 0; attempt < 10; attempt++) {
                String held = map.putIfAbsent(clientId, mine);
                if (held == null || held.equals(mine)) {
                    return null;
                }
                String owner = held.substring(0, Math.max(0, held.indexOf(' ')));
                if (!stale(owner)) {
                    throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                            + "' is already in use by another connection (on broker " + owner + ")");
                }
                if (map.replace(clientId, held, mine)) {
                    return null;
                }
            }
            throw new ProtocolException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                    + "' is contended; try again");
        }, false);
    }

    /** Frees the id if this connection still holds it. */
    public Future<Void> release(String clientId, String connectionId) {
        String mine = membership.localId() + " " + connectionId;
        return vertx.executeBlocking(() -> {
            map.remove(clientId, mine);
            return null;
        }, false);
    }

    private boolean stale(String owner) {
        if (owner.equals(membership.localId())) {
            return true;
        }
        List<BrokerInfo> members = membership.members();
        return members.stream().noneMatch(b -> b.id().equals(owner));
    }

    /** {@code s} as a literal in a Hazelcast LIKE pattern. */
    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
