package io.heraldmq.server.cli;

import io.heraldmq.admin.DeadLetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;

/** {@code heraldmq dlq list|retry}: dead-letter queues ({@code DLQ.<destination>}) of a running broker. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspect dead-letter queues and move their messages back.")
public final class DeadLetterCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the messages in DLQ.<DESTINATION> without consuming them.")
    int list(@Parameters(paramLabel = "DESTINATION", description = "e.g. orders for DLQ.orders") String destination,
             @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
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
            description = "Moves the messages now in DLQ.<DESTINATION> back to where each came from.")
    int retry(@Parameters(paramLabel = "DESTINATION", description = "e.g. orders for DLQ.orders") String destination,
              @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            int moved = admin.retryDeadLetters(destination);
            out.println("moved " + moved + " message(s) from " + (destination.startsWith("DLQ.") ? destination
                    : "DLQ." + destination));
            return AdminCall.OK;
        });
    }
}
