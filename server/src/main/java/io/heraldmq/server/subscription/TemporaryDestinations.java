package io.heraldmq.server.subscription;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary queues and topics and the connection that owns each (JMS 4.5 / 6.2.2: unique to their connection, only
 * it may consume from them, any connection may send to them, gone when it closes). Safe from any context.
 */
public final class TemporaryDestinations {
    private record Name(DestinationKind kind, String name) {
    }

    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;
    /** Temporary destination to the id of the connection that created it. */
    private final Map<Name, String> owners = new ConcurrentHashMap<>();
    private final Map<String, Set<Name>> byConnection = new ConcurrentHashMap<>();

    public TemporaryDestinations(TopicRegistry topics, SubscriptionRegistry subscriptions) {
        this.topics = topics;
        this.subscriptions = subscriptions;
    }

    public Future<Void> create(String connectionId, DestinationKind kind, String name) {
        Name n = new Name(kind, name);
        return topics.createTemporary(kind, name).map(topic -> {
            owners.put(n, connectionId);
            byConnection.computeIfAbsent(connectionId, k -> ConcurrentHashMap.newKeySet()).add(n);
            return null;
        });
    }

    /**
     * Checks that the connection may consume from the destination.
     *
     * @throws ProtocolException INVALID_DESTINATION if it does not exist or another connection created it
     */
    public void checkConsumer(String connectionId, DestinationKind kind, String name) {
        String owner = owners.get(new Name(kind, name));
        if (owner == null) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "temporary destination '" + name
                    + "' does not exist: it was deleted or its connection closed");
        }
        if (!owner.equals(connectionId)) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "temporary destination '" + name
                    + "' belongs to another connection; only the connection that created it may consume from it");
        }
    }

    /** Deletes one the connection created; fails with INVALID_DESTINATION for any other. */
    public Future<Void> delete(String connectionId, DestinationKind kind, String name) {
        Name n = new Name(kind, name);
        if (!owners.remove(n, connectionId)) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION, "temporary destination '"
                    + name + "' does not exist or belongs to another connection"));
        }
        Set<Name> owned = byConnection.get(connectionId);
        if (owned != null) {
            owned.remove(n);
        }
        return drop(n);
    }

    /** Deletes every temporary destination the closed connection created. */
    public Future<Void> connectionClosed(String connectionId) {
        Set<Name> owned = connectionId == null ? null : byConnection.remove(connectionId);
        if (owned == null) {
            return Future.succeededFuture();
        }
        List<Future<Void>> dropped = new ArrayList<>();
        for (Name n : owned) {
            owners.remove(n);
            dropped.add(drop(n));
        }
        return Future.join(dropped).mapEmpty();
    }

    private Future<Void> drop(Name n) {
        Future<Void> closed = n.kind().isQueue() ? subscriptions.closeTemporaryQueue(n.name())
                : Future.succeededFuture();
        return closed.compose(v -> topics.deleteTemporary(n.kind(), n.name()));
    }
}
