package io.heraldmq.server.security;

/**
 * What a request may need on a destination, as named in {@code permission.<name>.<pattern>} keys. Temporary
 * destinations need none of these: their creating connection alone consumes them, and anyone connected may send to
 * them (the reply path of request/reply).
 */
public enum Permission {
    /** PRODUCE, and every batch of a COMMIT. */
    SEND("send"),
    /** SUBSCRIBE of a consumer (queue, topic, durable or shared subscription). */
    CONSUME("consume"),
    /** SUBSCRIBE of a queue browser. */
    BROWSE("browse"),
    /** SUBSCRIBE that creates a durable subscription (or replaces one with another topic or selector). */
    CREATE_DURABLE("createDurable"),
    /** UNSUBSCRIBE of a durable subscription, and the old one a replacing SUBSCRIBE deletes. */
    DELETE_DURABLE("deleteDurable"),
    /** A destination's first use (auto-creation), and the CREATE_TOPIC administrative operation. */
    CREATE_DESTINATION("createDestination"),
    /** The DELETE_TOPIC administrative operation. */
    DELETE_DESTINATION("deleteDestination"),
    /** Every other administrative operation (the CLI, {@code HeraldAdmin}). */
    MANAGE("manage");

    private final String key;

    Permission(String key) {
        this.key = key;
    }

    /** The name in configuration keys and in refusals. */
    public String key() {
        return key;
    }

    /** The permission of a configuration name (case-sensitive), or null. */
    public static Permission ofKey(String key) {
        for (Permission p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
