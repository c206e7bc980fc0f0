package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.RedeliveryPolicy;
import io.vertx.core.Future;

/**
 * DEAD_LETTER_SETTINGS: shows a queue's or topic's redelivery and dead-letter policy, and changes the values given
 * (the others stay as they are). A change is stored in the metadata store, so it outlives a restart, and applies at
 * once to the destination's open subscriptions, from their next redelivery on (see {@link DeadLetters#update}).
 * Consumers already attached keep the limit and delay they were told when they subscribed for deciding whether a
 * recovered message goes back to the broker; the broker applies the new limit to whatever comes back to it.
 */
public final class DeadLetterSettingsCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final DeadLetters deadLetters;

    public DeadLetterSettingsCommand(TopicRegistry topics, DeadLetters deadLetters) {
        this.topics = topics;
        this.deadLetters = deadLetters;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String name = args.required("name");
        DestinationKind kind = args.kind();
        // Read before anything else happens, so that a bad value is refused whether or not the destination exists.
        Integer maxAttempts = args.optional("max.delivery.attempts") == null ? null
                : args.intValue("max.delivery.attempts", 0);
        Long delayMs = args.optional("redelivery.delay.ms") == null ? null
                : args.longValue("redelivery.delay.ms", 0);
        Double multiplier = number(args, "redelivery.multiplier");
        Long maxDelayMs = args.optional("max.redelivery.delay.ms") == null ? null
                : args.longValue("max.redelivery.delay.ms", 0);
        String deadLetterQueue = args.optional("dead.letter.queue");
        if (topics.find(kind, name) == null) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, AdminArgs.kindName(kind) + " '" + name
                    + "' does not exist");
        }
        boolean queue = kind.isQueue();
        boolean change = maxAttempts != null || delayMs != null || multiplier != null || maxDelayMs != null
                || deadLetterQueue != null;
        Future<RedeliveryPolicy> policy;
        if (!change) {
            policy = deadLetters.reload(queue, name);
        } else {
            policy = deadLetters.settings(queue, name).compose(now -> {
                DeadLetterSettings wanted = new DeadLetterSettings(queue, name,
                        maxAttempts != null ? maxAttempts : now.maxDeliveryAttempts(),
                        delayMs != null ? delayMs : now.redeliveryDelayMs(),
                        multiplier != null ? multiplier : now.redeliveryMultiplier(),
                        maxDelayMs != null ? maxDelayMs : now.maxRedeliveryDelayMs(),
                        deadLetterQueue != null ? deadLetterQueue : now.deadLetterDestination());
                String problem = DeadLetters.problem(wanted);
                return problem != null ? Future.failedFuture(AdminArgs.invalid(problem))
                        : deadLetters.update(queue, name, wanted);
            });
        }
        return policy.compose(p -> deadLetters.hasOwnSettings(queue, name).map(own -> AdminResult.of("kind", "name",
                "max.delivery.attempts", "redelivery.delay.ms", "redelivery.multiplier", "max.redelivery.delay.ms",
                "dead.letter.queue", "source").row(AdminArgs.kindName(kind), name, p.maxDeliveryAttempts(),
                p.delayMs(), p.multiplier(), p.maxDelayMs(), p.deadLetterQueue(), own ? "destination" : "default")));
    }

    private static Double number(AdminArgs args, String name) {
        String v = args.optional(name);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw AdminArgs.invalid("argument '" + name + "' must be a number, was '" + v + "'");
        }
    }
}
