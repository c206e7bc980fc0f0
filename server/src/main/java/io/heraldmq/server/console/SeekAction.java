package io.heraldmq.server.console;

import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code POST /console/subscriptions/seek}: replay or skip, SEEK_SUBSCRIPTION (the CLI's {@code subscription seek}):
 * {@code id}, {@code to} (beginning, end, offset, timestamp), {@code value} (an offset, or a time: an ISO instant,
 * or {@code yyyy-MM-ddTHH:mm[:ss]} taken as UTC) and {@code partition} (offsets only; empty: every partition).
 * Needs {@code manage} on the subscription's destination, which the broker's SEEK_SUBSCRIPTION checks as for the
 * CLI.
 */
final class SeekAction {
    private final WorkerExecutor workers;

    SeekAction(WorkerExecutor workers) {
        this.workers = workers;
    }

    void handle(RoutingContext rc) {
        ConsoleSession session = rc.get(SessionGuard.SESSION);
        String id = ConsolePages.required(rc, "id");
        String to = ConsolePages.required(rc, "to");
        String value = ConsolePages.param(rc, "value");
        int partition = (int) ConsolePages.number(rc, "partition", -1);
        ConsolePages.change(rc, workers, "/console/subscriptions", () -> {
            Map<Integer, Long> offsets = session.call(a -> switch (to) {
                case "beginning" -> a.seekToBeginning(id);
                case "end" -> a.seekToEnd(id);
                case "offset" -> a.seekToOffset(id, partition, offset(value));
                case "timestamp" -> a.seekToTimestamp(id, time(value));
                default -> throw new ConsoleRefusal(400, "'to' must be beginning, end, offset or timestamp");
            });
            return "subscription " + id + " now at " + offsets;
        });
    }

    private static long offset(String value) {
        try {
            return Long.parseLong(value == null ? "" : value);
        } catch (NumberFormatException e) {
            throw new ConsoleRefusal(400, "the offset must be a whole number, was '" + value + "'");
        }
    }

    static Instant time(String value) {
        if (value == null) {
            throw new ConsoleRefusal(400, "give the time to seek to");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new ConsoleRefusal(400, "the time must be like 2026-01-31T12:00:00Z, was '" + value + "'");
            }
        }
    }
}
