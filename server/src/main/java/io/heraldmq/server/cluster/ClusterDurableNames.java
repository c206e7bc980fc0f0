package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Durable subscriptions in use anywhere in the cluster, in the Hazelcast map {@value #MAP}: subscription id to
 * {@code "<broker id> <topic>"}, written by the leader of the subscription's topic while the subscription is open
 * there for consumers. JMS refuses a durable subscription name (of a client id, or shared) on another topic while a
 * consumer is active on it; each topic's leader knows only its own consumers, and the leader of the other topic would
 * otherwise replace the subscription from under them. So before a leader replaces or creates a durable subscription
 * it asks here whether another live broker has it open on another topic.
 * <p>
 * An entry is put when a consumer subscribes (before SUBSCRIBE is answered) and removed when the subscription's last
 * consumer closes; one whose broker left the cluster is ignored, and a starting broker drops its own. Hazelcast's
 * maps are AP: during a network split, or while an entry is on its way, two brokers may each accept the name on a
 * different topic. This guards a naming rule of the specification, not data (each subscription's messages and
 * positions stay in its own topic's replicated log), so that is accepted. Hazelcast is called on workers only.
 */
public final class ClusterDurableNames {
    static final String MAP = "heraldmq.active-durables";

    private final Vertx vertx;
    private final ClusterMembership membership;
    private final IMap<String, String> map;

    private ClusterDurableNames(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.membership = membership;
        this.map = membership.hazelcast().getMap(MAP);
    }

    /** Drops what this broker had open before (a restart: none of those consumers exists now). */
    public static Future<ClusterDurableNames> start(ClusterMembership membership) {
        ClusterDurableNames names = new ClusterDurableNames(membership);
        return names.vertx.executeBlocking(() -> {
            names.map.removeAll(Predicates.like("this", membership.localId().replace("\\", "\\\\")
                    .replace("%", "\\%").replace("_", "\\_") + " %"));
            return names;
        }, false);
    }

    /** The subscription {@code id} is open here on {@code topic} for a consumer. */
    public Future<Void> inUse(String id, String topic) {
        String mine = membership.localId() + " " + topic;
        return vertx.executeBlocking(() -> {
            map.set(id, mine);
            return null;
        }, false);
    }

    /** The subscription's last consumer here closed. */
    public void unused(String id, String topic) {
        String mine = membership.localId() + " " + topic;
        vertx.executeBlocking(() -> map.remove(id, mine), false);
    }

    /**
     * The topic on which another live broker has {@code id} open for consumers, if it is not {@code topic}; else
     * null.
     */
    public Future<String> inUseOnOtherTopic(String id, String topic) {
        return vertx.executeBlocking(() -> {
            String held = map.get(id);
            if (held == null) {
                return null;
            }
            int space = held.indexOf(' ');
            String owner = held.substring(0, Math.max(0, space));
            String heldTopic = held.substring(space + 1);
            boolean live = membership.members().stream().anyMatch(b -> b.id().equals(owner));
            return live && !owner.equals(membership.localId()) && !heldTopic.equals(topic) ? heldTopic : null;
        }, false);
    }
}
