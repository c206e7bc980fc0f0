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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * LIST_SUBSCRIPTIONS of every destination on a clustered broker: a subscription's consumers, live backlog and expired
 * count are known only where its destination is led, so the broker the client is connected to asks every other
 * live leader for the subscriptions of the destinations it leads (the same request with argument
 * {@value #LEADER_ARG} = {@code here}, sent over the client's relay to that broker, so it is authorized as the
 * client's user) and adds its own for the rest, merged by subscription id and sorted as a single node sorts them.
 * If a leader does not answer (it died meanwhile), the answer is this broker's own copy of everything, as before.
 */
final class SubscriptionListing {
    /** The argument that asks a broker for its part of a full listing only. */
    static final String LEADER_ARG = "leader";

    private final LeaderDirectory leaders;
    private final AdminCommand local;

    /** @param local this broker's LIST_SUBSCRIPTIONS */
    SubscriptionListing(LeaderDirectory leaders, AdminCommand local) {
        this.leaders = leaders;
        this.local = local;
    }

    /** Whether {@code admin} is a full listing a client asked for (not one broker's part of one). */
    static boolean isFullListing(Admin admin) {
        return admin.operation() == AdminOperation.LIST_SUBSCRIPTIONS && admin.arguments().get("topic") == null
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
            connection.access().checkBrokerWide(Permission.MANAGE, AdminOperation.LIST_SUBSCRIPTIONS.name());
        } catch (RuntimeException refused) {
            return false;
        }
        Map<String, String> args = new HashMap<>(admin.arguments());
        args.put(LEADER_ARG, "here");
        List<Future<AdminResult>> parts = new ArrayList<>();
        for (LeaderDirectory.Led led : others.values()) {
            Upstream up = upstreams.apply(led.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, led.name());
            if (up != null) {
                parts.add(up.request(new Admin(AdminOperation.LIST_SUBSCRIPTIONS, args).encode(up.nextOwnId()))
                        .compose(SubscriptionListing::result));
            }
        }
        parts.add(local.run(new AdminArgs(args)));
        Future.all(parts)
                .map(v -> merge(parts.stream().map(Future::result).toList()))
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
                : Future.failedFuture("a leader refused its part of the subscription listing: " + frame.type());
    }

    /** One row per subscription id (the first part naming it wins; the local part comes last), sorted by id. */
    private static AdminResult merge(List<AdminResult> parts) {
        AdminResult own = parts.get(parts.size() - 1);
        int id = own.columns().indexOf("id");
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (AdminResult part : parts) {
            if (!part.columns().equals(own.columns())) {
                throw new IllegalStateException("a leader answered other columns: " + part.columns());
            }
            for (List<String> row : part.rows()) {
                rows.putIfAbsent(row.get(id), row);
            }
        }
        List<List<String>> sorted = new ArrayList<>(rows.values());
        sorted.sort((a, b) -> a.get(id).compareTo(b.get(id)));
        return new AdminResult(own.columns(), sorted);
    }
}
