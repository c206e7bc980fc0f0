package io.heraldmq.server.cli;

import io.heraldmq.admin.SubscriptionInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/** {@code heraldmq sub list|seek|retention|delete}: subscriptions of a running broker, replay and retention. */
@Command(name = "sub", mixinStandardHelpOptions = true,
        description = "List, move (replay) and delete subscriptions, and set their retention.")
public final class SubscriptionCommand {
    @Spec
    CommandSpec spec;

    /** Exactly one place to move to. */
    static final class Target {
        @Option(names = "--to-offset", paramLabel = "OFFSET", description = "an offset (with --partition: in that"
                + " partition only)", required = true)
        Long offset;

        @Option(names = "--to-timestamp", paramLabel = "TIME", converter = InstantConverter.class, required = true,
                description = "the first message sent at or after TIME (ISO-8601 like 2026-01-31T12:00:00Z, or ms"
                        + " since the epoch)")
        Instant timestamp;

        @Option(names = "--to-beginning", description = "the oldest retained message", required = true)
        boolean beginning;

        @Option(names = "--to-end", description = "the log end: skip the backlog", required = true)
        boolean end;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists subscriptions with their consumers and backlog (messages behind).")
    int list(@Option(names = "--topic", description = "only this topic's or queue's") String topic,
             @Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            if (output.json()) {
                JsonArray subscriptions = new JsonArray();
                for (SubscriptionInfo s : admin.listSubscriptions(topic)) {
                    JsonObject backlog = new JsonObject();
                    new TreeMap<>(s.backlogByPartition()).forEach((p, n) -> backlog.put(p.toString(), n));
                    subscriptions.add(new JsonObject().put("id", s.id())
                            .put("destination", (s.queue() ? "queue://" : "topic://") + s.topic())
                            .put("name", s.name()).put("clientId", s.clientId()).put("durable", s.durable())
                            .put("shared", s.shared()).put("selector", s.selector()).put("consumers", s.consumers())
                            .put("backlog", s.backlog()).put("backlogByPartition", backlog)
                            .put("expired", s.expired()).put("retentionMs", s.retentionMs()));
                }
                out.println(subscriptions.encode());
                return AdminCall.OK;
            }
            Table t = new Table("ID", "TOPIC", "NAME", "CLIENT-ID", "DURABLE", "SHARED", "SELECTOR", "CONSUMERS",
                    "BACKLOG", "EXPIRED", "RETENTION");
            for (SubscriptionInfo s : admin.listSubscriptions(topic)) {
                t.add(s.id(), (s.queue() ? "queue://" : "topic://") + s.topic(), s.name(), s.clientId(), s.durable(),
                        s.shared(), s.selector(), s.consumers(), s.backlog(), s.expired(),
                        Duration.ofMillis(s.retentionMs()));
            }
            t.print(out);
            return AdminCall.OK;
        });
    }

    @Command(name = "seek", mixinStandardHelpOptions = true,
            description = {"Moves a durable subscription or a queue (replay). It must have no consumer attached;"
                    + " messages from the new position on are delivered again as new ones.",
                    "ID as 'sub list' shows it, e.g. durable:myClient:audit or queue:orders."})
    int seek(@Parameters(paramLabel = "ID") String id,
             @ArgGroup(exclusive = true, multiplicity = "1") Target target,
             @Option(names = "--partition", paramLabel = "N", description = "only this partition (with --to-offset)")
             Integer partition,
             @Mixin AdminOptions options) {
        if (partition != null && target.offset == null) {
            spec.commandLine().getErr().println("error: --partition goes with --to-offset only");
            return AdminCall.BAD_ARGUMENTS;
        }
        return AdminCall.run(spec, options, (admin, out) -> {
            Map<Integer, Long> moved;
            if (target.offset != null) {
                moved = admin.seekToOffset(id, partition == null ? -1 : partition, target.offset);
            } else if (target.timestamp != null) {
                moved = admin.seekToTimestamp(id, target.timestamp);
            } else if (target.beginning) {
                moved = admin.seekToBeginning(id);
            } else {
                moved = admin.seekToEnd(id);
            }
            Table t = new Table("PARTITION", "OFFSET");
            moved.forEach(t::add);
            out.println("moved " + id);
            t.print(out);
            return AdminCall.OK;
        });
    }

    @Command(name = "retention", mixinStandardHelpOptions = true,
            description = {"Sets how long the broker keeps the messages a durable subscription has not acknowledged"
                    + " (default: the broker's subscription.retention.ms, 7 days). A closed log segment goes once the"
                    + " topic's own limits allow it and every subscription has acknowledged it or kept it longer"
                    + " than its retention.",
                    "SUBSCRIPTION is the ID as 'sub list' shows it, or the subscription name if only one durable"
                            + " subscription of TOPIC has it."})
    int retention(@Parameters(index = "0", paramLabel = "TOPIC") String topic,
                  @Parameters(index = "1", paramLabel = "SUBSCRIPTION") String subscription,
                  @Parameters(index = "2", paramLabel = "DURATION", converter = DurationConverter.class,
                          description = "e.g. 24h, 7d, PT30M") Duration retention,
                  @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            String id = admin.setSubscriptionRetention(topic, subscription, retention.toMillis());
            out.println("retention of " + id + " is now " + retention);
            return AdminCall.OK;
        });
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a durable subscription (unsubscribe); it must have no consumer attached.")
    int delete(@Parameters(paramLabel = "ID") String id, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            admin.deleteSubscription(id);
            out.println("deleted " + id);
            return AdminCall.OK;
        });
    }

    /** ISO-8601 instant or milliseconds since the epoch. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.trim();
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a time (ISO-8601 like 2026-01-31T12:00:00Z, or ms since"
                        + " the epoch): " + value);
            }
        }
    }
}
