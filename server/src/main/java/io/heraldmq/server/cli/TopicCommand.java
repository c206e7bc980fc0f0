package io.heraldmq.server.cli;

import io.heraldmq.admin.TopicInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** {@code heraldmq topic create|delete|list}: destinations of a running broker. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Create, delete and list topics and queues.")
public final class TopicCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a topic (or with --queue a queue).")
    int create(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--queue", description = "create a queue rather than a topic") boolean queue,
               @Option(names = "--partitions", description = "partitions (default: the broker's; queues 1)")
               Integer partitions,
               @Option(names = "--retention", description = "how long messages are kept, e.g. PT24H or 7d;"
                       + " default: the broker's (log.retention.ms)", converter = DurationConverter.class) Duration retention,
               @Option(names = "--retention-bytes", description = "bytes kept per partition;"
                       + " default: the broker's (log.retention.bytes)")
               Long retentionBytes,
               @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            if (partitions != null && partitions < 1) {
                spec.commandLine().getErr().println("error: --partitions must be at least 1");
                return AdminCall.BAD_ARGUMENTS;
            }
            int p = partitions == null ? 0 : partitions;
            long ms = retention == null ? -1 : retention.toMillis();
            long bytes = retentionBytes == null ? -1 : retentionBytes;
            if (queue) {
                admin.createQueue(name, p, ms, bytes);
            } else {
                admin.createTopic(name, p, ms, bytes);
            }
            out.println("created " + (queue ? "queue " : "topic ") + name);
            return AdminCall.OK;
        });
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a topic (or with --queue a queue) with its messages and subscriptions.")
    int delete(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--queue", description = "delete a queue rather than a topic") boolean queue,
               @Option(names = "--force", description = "even while consumers are attached") boolean force,
               @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            if (queue) {
                admin.deleteQueue(name, force);
            } else {
                admin.deleteTopic(name, force);
            }
            out.println("deleted " + (queue ? "queue " : "topic ") + name);
            return AdminCall.OK;
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists topics and queues with partitions, retention, size and message count.")
    int list(@Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            if (output.json()) {
                JsonArray topics = new JsonArray();
                for (TopicInfo i : admin.listTopics()) {
                    topics.add(new JsonObject().put("name", i.name()).put("kind", i.queue() ? "queue" : "topic")
                            .put("partitions", i.partitions())
                            .put("retentionMs", i.retentionMs() < 0 ? null : i.retentionMs())
                            .put("retentionBytes", i.retentionBytes() < 0 ? null : i.retentionBytes())
                            .put("sizeBytes", i.sizeBytes()).put("messages", i.messages()));
                }
                out.println(topics.encode());
                return AdminCall.OK;
            }
            Table t = new Table("NAME", "KIND", "PARTITIONS", "RETENTION", "RETENTION-BYTES", "SIZE-BYTES",
                    "MESSAGES");
            for (TopicInfo i : admin.listTopics()) {
                t.add(i.name(), i.queue() ? "queue" : "topic", i.partitions(),
                        i.retentionMs() < 0 ? null : Duration.ofMillis(i.retentionMs()),
                        i.retentionBytes() < 0 ? null : i.retentionBytes(), i.sizeBytes(), i.messages());
            }
            t.print(out);
            return AdminCall.OK;
        });
    }
}
