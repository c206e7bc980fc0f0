package io.heraldmq.server.cluster;

/**
 * A queue or topic as the whole cluster knows it ({@link DestinationCatalog}). The partition count is fixed at
 * creation and the same on every broker; retention limits of -1 mean "each broker's default".
 */
public record DestinationDefinition(boolean queue, String name, int partitions, long retentionMs,
                                    long retentionBytes) {
    public DestinationDefinition {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a destination needs a name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
    }

    /** The catalog key: {@code q:<name>} or {@code t:<name>}. */
    String key() {
        return key(queue, name);
    }

    static String key(boolean queue, String name) {
        return (queue ? "q:" : "t:") + name;
    }

    /** The catalog value: {@code partitions|retentionMs|retentionBytes} (kind and name are in the key). */
    String encodeValue() {
        return partitions + "|" + retentionMs + "|" + retentionBytes;
    }

    static DestinationDefinition decode(String key, String value) {
        String[] f = value.split("\\|");
        return new DestinationDefinition(key.startsWith("q:"), key.substring(2), Integer.parseInt(f[0]),
                Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
