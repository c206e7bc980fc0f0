package io.heraldmq.server.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which broker leads each clustered destination, and where brokers take clients, as this broker last heard from the
 * partition table and the membership: read on event loops without a Hazelcast call. Leadership is per destination
 * (every partition of a destination has the same replicas and leader, see docs/architecture.md), so a subscription,
 * which spans the destination's partitions, lives whole on one broker.
 * <p>
 * Only a hint: a broker that is asked for a destination it does not lead answers NOT_LEADER.
 */
public final class LeaderDirectory {
    private final String localId;
    private final Map<String, String> leaders = new ConcurrentHashMap<>();
    private final Map<String, SocketAddress> clientAddresses = new ConcurrentHashMap<>();
    private final Map<String, List<Promise<String>>> waiters = new ConcurrentHashMap<>();

    public LeaderDirectory(String localId) {
        this.localId = localId;
    }

    public String localId() {
        return localId;
    }

    /** @return the leading broker's id, or null if the destination is not clustered or has no leader now */
    public String leaderOf(boolean queue, String destination) {
        return leaders.get(key(queue, destination));
    }

    /**
     * The leader the table names, if it is a live member; null while the table still names one that left (its
     * successor is not proposed yet, or the event naming it was missed: Hazelcast can drop entry events while it
     * promotes a dead member's backups, and the table is re-read every few seconds).
     */
    public String liveLeaderOf(boolean queue, String destination) {
        String leader = leaders.get(key(queue, destination));
        return leader != null && clientAddresses.containsKey(leader) ? leader : null;
    }

    public void leaderChanged(boolean queue, String destination, String leader) {
        String key = key(queue, destination);
        if (leader == null) {
            leaders.remove(key);
            return;
        }
        leaders.put(key, leader);
        wakeIfLive(key);
    }

    /**
     * The leader once the table names one (a destination just created has none for a moment), or null after
     * {@code timeoutMs}.
     */
    public Future<String> leaderWhenKnown(Vertx vertx, boolean queue, String destination, long timeoutMs) {
        String key = key(queue, destination);
        String known = liveLeaderOf(queue, destination);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        Promise<String> p = Promise.promise();
        waiters.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(p);
        // it may have arrived between the look-up and the registration
        String now = liveLeaderOf(queue, destination);
        if (now != null) {
            p.tryComplete(now);
        }
        long timer = vertx.setTimer(timeoutMs, t -> p.tryComplete(null));
        return p.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    public void removed(boolean queue, String destination) {
        leaders.remove(key(queue, destination));
    }

    /** The members changed: where each takes clients. */
    public void membersChanged(Map<String, SocketAddress> addresses) {
        clientAddresses.keySet().retainAll(addresses.keySet());
        clientAddresses.putAll(addresses);
        // requests waiting for a destination whose named leader just became reachable go on
        for (String key : List.copyOf(waiters.keySet())) {
            wakeIfLive(key);
        }
    }

    /** Completes the requests waiting for {@code key} once its leader is named and a live member. */
    private void wakeIfLive(String key) {
        String leader = leaders.get(key);
        if (leader != null && clientAddresses.containsKey(leader)) {
            List<Promise<String>> waiting = waiters.remove(key);
            if (waiting != null) {
                waiting.forEach(p -> p.tryComplete(leader));
            }
        }
    }

    /** A destination, by kind and name. */
    public record Led(boolean queue, String name) {
    }

    /** For every live broker other than this one that leads some destination: one of them, by broker id. */
    public Map<String, Led> oneDestinationPerOtherLiveLeader() {
        Map<String, Led> out = new java.util.HashMap<>();
        leaders.forEach((key, leader) -> {
            if (!leader.equals(localId) && clientAddresses.containsKey(leader)) {
                out.putIfAbsent(leader, new Led(key.startsWith("q:"), key.substring(2)));
            }
        });
        return out;
    }

    public SocketAddress clientAddressOf(String brokerId) {
        return clientAddresses.get(brokerId);
    }

    private static String key(boolean queue, String destination) {
        return (queue ? "q:" : "t:") + destination;
    }
}
