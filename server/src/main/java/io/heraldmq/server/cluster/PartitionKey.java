package io.heraldmq.server.cluster;

import java.util.Comparator;

/**
 * One partition of a queue ({@code queue == true}) or topic: the key of the cluster's partition table. Its string
 * form is {@code q:<destination>:<partition>} or {@code t:<destination>:<partition>}; a destination name may contain
 * ':' (the kind ends at the first one, the partition starts after the last one), so every name round-trips.
 */
public record PartitionKey(boolean queue, String destination, int partition) implements Comparable<PartitionKey> {
    private static final Comparator<PartitionKey> ORDER = Comparator.comparing(PartitionKey::destination)
            .thenComparing(PartitionKey::queue).thenComparingInt(PartitionKey::partition);

    public PartitionKey {
        if (destination == null || destination.isEmpty()) {
            throw new IllegalArgumentException("a partition key needs a destination name");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
    }

    /** The stable string form, e.g. {@code q:orders:0}. */
    public String encode() {
        return (queue ? "q:" : "t:") + destination + ":" + partition;
    }

    /** The inverse of {@link #encode()}. */
    public static PartitionKey parse(String s) {
        int last = s.lastIndexOf(':');
        if (s.length() < 5 || s.charAt(1) != ':' || (s.charAt(0) != 'q' && s.charAt(0) != 't') || last <= 2) {
            throw new IllegalArgumentException("not a partition key: '" + s + "'");
        }
        try {
            return new PartitionKey(s.charAt(0) == 'q', s.substring(2, last), Integer.parseInt(s.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a partition key: '" + s + "'");
        }
    }

    @Override
    public int compareTo(PartitionKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return encode();
    }
}
