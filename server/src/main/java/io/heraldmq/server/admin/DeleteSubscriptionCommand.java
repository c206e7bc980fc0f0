package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;

/** DELETE_SUBSCRIPTION: unsubscribes a durable subscription by id; refused while a consumer is attached. */
public final class DeleteSubscriptionCommand implements AdminCommand {
    private final SubscriptionRegistry subscriptions;

    public DeleteSubscriptionCommand(SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        return subscriptions.delete(args.required("id")).map(v -> AdminResult.empty());
    }
}
