package io.heraldmq.server.gateway;

import io.heraldmq.protocol.Admin;
import io.heraldmq.protocol.AdminOperation;
import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.server.admin.AdminArgs;
import io.heraldmq.server.admin.AdminCommand;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.security.Permission;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A listing of every destination (LIST_TOPICS) or of every subscription (LIST_SUBSCRIPTIONS without a topic) on a
 * clustered broker: a destination's log end, a subscription's consumers, live backlog and expired count are known
 * for certain only where the destination is led (a follower's copy lags, and consumers and expired counts live on
 * the leader), so the broker the client is connected to asks every other live leader for the rows of the
 * destinations it leads (the same request with argument {@value #LEADER_ARG} = {@code here}, sent over the client's
 * relay to that broker, so it is authorized as the client's user) and adds its own for the rest, merged by the
 * rows' key and sorted by it as a single node sorts them. If a leader does not answer (it died meanwhile), the answer
 * is this broker's own copy of everything, as before.
 */
final class LeaderListing {
    /** The argument that asks a broker for its part of a full listing only. */
    static final String LEADER_ARG = "leader";

    private final LeaderDirectory leaders;
    private final AdminOperation operation;
    private final AdminCommand local;
    /** The columns that identify a row (subscription id; destination name and kind). */
    private final List<String> key;

    /**
     * @param operation LIST_TOPICS or LIST_SUBSCRIPTIONS
     * @param local     this broker's command of that operation
     * @param key       the columns that identify a row
     */
    LeaderListing(LeaderDirectory leaders, AdminOperation operation, AdminCommand local, String... key) {
        this.leaders = leaders;
        this.operation = operation;
        this.local = local;
        this.key = List.of(key);
    }

    /** Whether {@code admin} is a full listing of this kind a client asked for (not one broker's part of one). */
    boolean isFullListing(Admin admin) {
        return admin.operation() == operation && admin.arguments().get("topic") == null
                && admin.arguments().get(LEADER_ARG) == null;
    }

    /**
     * Answers a full listing by gathering the leaders' parts; false (the local handler answers) when no other broker
     * leads anything, or when the user may not list every subscription (the handler refuses it, with its audit
     * line).
     *
     * @param upstreams the client's relay to the leader of a destination (null: led here or by none)
     */
    boolean answer(ClientConnection connection, int correlationId, Admin admin,
                   BiFunction<DestinationKind, String, Upstream> upstreams) {
        Map<String, LeaderDirectory.Led> others = leaders.oneDestinationPerOtherLiveLeader();
        if (others.isEmpty()) {
            return false;
        }
        try {
            connection.access().checkBrokerWide(Permission.MANAGE, operation.name());
        } catch (RuntimeException refused) {
            return false;
        }
        Map<String, String> args = new HashMap<>(admin.arguments());
        args.put(LEADER_ARG, "here");
        List<Future<AdminResult>> parts = new ArrayList<>();
        for (LeaderDirectory.Led led : others.values()) {
            Upstream up = upstreams.apply(led.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, led.name());
            if (up != null) {
                parts.add(up.request(new Admin(operation, args).encode(up.nextOwnId()))
                        .compose(LeaderListing::result));
            }
        }
        parts.add(local.run(new AdminArgs(args)));
        Future.all(parts)
                .map(v -> merge(parts.stream().map(Future::result).toList(), key))
                .recover(e -> local.run(new AdminArgs(admin.arguments())))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        connection.send(ar.result().encode(correlationId));
                    } else {
                        connection.replyFailure(correlationId, ar.cause());
                    }
                });
        return true;
    }

    private static Future<AdminResult> result(Frame frame) {
        return frame.type() == FrameType.ADMIN_RESULT ? Future.succeededFuture(AdminResult.decode(frame.body()))
                : Future.failedFuture("a leader refused its part of the listing: " + frame.type());
    }

    /** One row per key (the first part naming it wins; the local part comes last), sorted by key. */
    private static AdminResult merge(List<AdminResult> parts, List<String> key) {
        AdminResult own = parts.get(parts.size() - 1);
        int[] columns = key.stream().mapToInt(own.columns()::indexOf).toArray();
        java.util.TreeMap<String, List<String>> rows = new java.util.TreeMap<>();
        for (AdminResult part : parts) {
            if (!part.columns().equals(own.columns())) {
                throw new IllegalStateException("a leader answered other columns: " + part.columns());
            }
            for (List<String> row : part.rows()) {
                StringBuilder k = new StringBuilder();
                for (int c : columns) {
                    k.append(row.get(c)).append('\u0000');
                }
                rows.putIfAbsent(k.toString(), row);
            }
        }
        return new AdminResult(own.columns(), new ArrayList<>(rows.values()));
    }
}
