package io.heraldmq.connect;

/**
 * A destination as written in a connectors file: {@code topic://NAME} or {@code queue://NAME}.
 *
 * @param queue true for a queue, false for a topic
 * @param name  the physical name
 */
public record DestinationName(boolean queue, String name) {
    public static DestinationName parse(String uri) {
        if (uri.startsWith("topic://") && uri.length() > "topic://".length()) {
            return new DestinationName(false, uri.substring("topic://".length()));
        }
        if (uri.startsWith("queue://") && uri.length() > "queue://".length()) {
            return new DestinationName(true, uri.substring("queue://".length()));
        }
        throw new IllegalArgumentException("not topic://NAME or queue://NAME: " + uri);
    }

    @Override
    public String toString() {
        return (queue ? "queue://" : "topic://") + name;
    }
}
