package io.heraldmq.server.admin;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;

import java.util.Map;

/** The named arguments of one ADMIN request, read with checks that fail with INVALID_ARGUMENT naming the problem. */
public final class AdminArgs {
    private final Map<String, String> values;

    public AdminArgs(Map<String, String> values) {
        this.values = values;
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw invalid("missing argument '" + name + "'");
        }
        return v;
    }

    public String optional(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public long longValue(String name, long defaultValue) {
        String v = optional(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw invalid("argument '" + name + "' must be a whole number, was '" + v + "'");
        }
    }

    public int intValue(String name, int defaultValue) {
        long v = longValue(name, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw invalid("argument '" + name + "' is out of range: " + v);
        }
        return (int) v;
    }

    public boolean flag(String name) {
        String v = optional(name);
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw invalid("argument '" + name + "' must be true or false, was '" + v + "'");
    }

    /** {@code kind}: topic (the default) or queue. */
    public DestinationKind kind() {
        String v = optional("kind");
        if (v == null || v.equalsIgnoreCase("topic")) {
            return DestinationKind.TOPIC;
        }
        if (v.equalsIgnoreCase("queue")) {
            return DestinationKind.QUEUE;
        }
        throw invalid("argument 'kind' must be topic or queue, was '" + v + "'");
    }

    public static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_ARGUMENT, message);
    }

    static String kindName(DestinationKind kind) {
        return kind.isQueue() ? "queue" : "topic";
    }
}
