package io.heraldmq.server.cli;

import io.heraldmq.admin.DeadLetter;
import io.heraldmq.admin.RedeliverySettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code heraldmq dlq list|retry|delete|settings}: dead-letter queues ({@code DLQ.<destination>}) of a running broker,
 * and each destination's redelivery and dead-letter settings.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect dead-letter queues, move their messages back or delete them, and show or change"
                + " redelivery settings.")
public final class DeadLetterCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the messages in DLQ.<DESTINATION> without consuming them.")
    int list(@Parameters(paramLabel = "DESTINATION", description = "e.g. orders for DLQ.orders") String destination,
             @Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            if (output.json()) {
                JsonArray letters = new JsonArray();
                for (DeadLetter d : admin.listDeadLetters(destination)) {
                    Map<String, Object> properties = new TreeMap<>();
                    d.properties().forEach((k, v) -> properties.put(k, v instanceof byte[] b
                            ? Base64.getEncoder().encodeToString(b) : v instanceof Character c ? c.toString() : v));
                    letters.add(new JsonObject().put("offset", d.offset()).put("messageId", d.messageId())
                            .put("timestamp", d.timestamp()).put("originalDestination", d.originalDestination())
                            .put("deliveries", d.deliveryCount()).put("reason", d.failureReason())
                            .put("properties", new JsonObject(properties)).put("text", d.text()));
                }
                out.println(letters.encode());
                return AdminCall.OK;
            }
            Table t = new Table("OFFSET", "MESSAGE-ID", "TIMESTAMP", "ORIGINAL-DESTINATION", "DELIVERIES", "REASON");
            for (DeadLetter d : admin.listDeadLetters(destination)) {
                t.add(d.offset(), d.messageId(), d.timestamp() == 0 ? null : Instant.ofEpochMilli(d.timestamp()),
                        d.originalDestination(), d.deliveryCount(), d.failureReason());
            }
            t.print(out);
            return AdminCall.OK;
        });
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Moves the messages now in DLQ.<DESTINATION>, or only the one --offset or --message-id"
                    + " names, back to where each came from.", "Progress goes to stderr every 2 s."})
    int retry(@Parameters(paramLabel = "DESTINATION", description = "e.g. orders for DLQ.orders") String destination,
              @ArgGroup(exclusive = true) OneMessage one, @Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            String queue = deadLetterQueue(destination);
            int moved;
            if (one == null) {
                Progress progress = new Progress(spec.commandLine().getErr(), "moved");
                moved = admin.retryDeadLetters(destination, progress::at);
            } else {
                Long offset = one.offsetIn(admin, destination);
                moved = offset == null ? 0 : admin.retryDeadLetter(destination, offset);
                if (moved == 0) {
                    return noSuchMessage(queue, one);
                }
            }
            if (output.json()) {
                out.println(new JsonObject().put("deadLetterQueue", queue).put("moved", moved).encode());
            } else {
                out.println("moved " + moved + " message(s) from " + queue);
            }
            return AdminCall.OK;
        });
    }

    /** One message of a dead-letter queue: by its offset there or by its JMSMessageID. */
    static final class OneMessage {
        @Option(names = "--offset", paramLabel = "N", required = true,
                description = "only the message at this offset (the OFFSET column of dlq list)")
        Long offset;

        @Option(names = "--message-id", paramLabel = "ID", required = true,
                description = "only the message with this JMSMessageID (the MESSAGE-ID column of dlq list)")
        String messageId;

        /** Its offset in the dead-letter queue of {@code destination}; null: no message has this JMSMessageID. */
        Long offsetIn(io.heraldmq.admin.HeraldAdmin admin, String destination) {
            return offset != null ? offset : admin.listDeadLetters(destination).stream()
                    .filter(d -> messageId.equals(d.messageId())).map(DeadLetter::offset).findFirst().orElse(null);
        }

        String describe() {
            return offset != null ? "at offset " + offset : "with JMSMessageID " + messageId;
        }
    }

    private static String deadLetterQueue(String destination) {
        return destination.startsWith("DLQ.") ? destination : "DLQ." + destination;
    }

    private int noSuchMessage(String queue, OneMessage one) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + queue + " holds no message " + one.describe());
        err.flush();
        return AdminCall.REFUSED;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes the messages now in DLQ.<DESTINATION>, or only the one --offset or --message-id"
                    + " names; they are not sent anywhere.", "Progress goes to stderr every 2 s."})
    int delete(@Parameters(paramLabel = "DESTINATION", description = "e.g. orders for DLQ.orders") String destination,
               @ArgGroup(exclusive = true) OneMessage one, @Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            String queue = deadLetterQueue(destination);
            int deleted;
            if (one == null) {
                Progress progress = new Progress(spec.commandLine().getErr(), "deleted");
                deleted = admin.deleteDeadLetters(destination, progress::at);
            } else {
                Long offset = one.offsetIn(admin, destination);
                deleted = offset == null ? 0 : admin.deleteDeadLetter(destination, offset);
                if (deleted == 0) {
                    return noSuchMessage(queue, one);
                }
            }
            if (output.json()) {
                out.println(new JsonObject().put("deadLetterQueue", queue).put("deleted", deleted).encode());
            } else {
                out.println("deleted " + deleted + " message(s) from " + queue);
            }
            return AdminCall.OK;
        });
    }

    /** The two kinds of destination that have settings (temporary ones use the broker's defaults). */
    enum Kind { queue, topic }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = {"Shows the redelivery and dead-letter settings of a queue or topic; with options, changes"
                    + " those values (the others stay). A change is kept across restarts and applies at once to"
                    + " messages redelivered from then on."})
    int settings(@Parameters(index = "0", paramLabel = "KIND", description = "queue or topic") Kind kind,
                 @Parameters(index = "1", paramLabel = "NAME") String name,
                 @Option(names = "--max-attempts", paramLabel = "N", description = "deliveries before a message goes"
                         + " to the dead-letter queue (1 or more; -1 = unlimited)") Integer maxAttempts,
                 @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.ZeroAllowed.class,
                         description = "wait before the first redelivery, e.g. 0, 500ms, 1s") Duration delay,
                 @Option(names = "--multiplier", paramLabel = "X", description = "each further redelivery waits X"
                         + " times longer (1 or more)") Double multiplier,
                 @Option(names = "--max-delay", paramLabel = "DURATION",
                         converter = DurationConverter.ZeroAllowed.class,
                         description = "the wait never exceeds this, e.g. 1m; 0 = no cap") Duration maxDelay,
                 @Option(names = "--dead-letter-queue", paramLabel = "QUEUE", description = "where dead letters go"
                         + " (default: the broker's prefix + NAME)") String deadLetterQueue,
                 @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            RedeliverySettings s = admin.updateRedeliverySettings(kind == Kind.queue, name, maxAttempts,
                    delay == null ? null : delay.toMillis(), multiplier, maxDelay == null ? null : maxDelay.toMillis(),
                    deadLetterQueue);
            Table t = new Table("KIND", "NAME", "MAX-ATTEMPTS", "DELAY", "MULTIPLIER", "MAX-DELAY",
                    "DEAD-LETTER-QUEUE", "FROM");
            t.add(s.queue() ? "queue" : "topic", s.name(),
                    s.maxDeliveryAttempts() < 0 ? "unlimited" : s.maxDeliveryAttempts(),
                    Duration.ofMillis(s.redeliveryDelayMs()), s.multiplier(),
                    s.maxRedeliveryDelayMs() == 0 ? "none" : Duration.ofMillis(s.maxRedeliveryDelayMs()),
                    s.deadLetterQueue(), s.own() ? "destination" : "broker defaults");
            t.print(out);
            return AdminCall.OK;
        });
    }
}
