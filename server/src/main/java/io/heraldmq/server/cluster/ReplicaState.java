package io.heraldmq.server.cluster;

/**
 * How far one broker's copy of a partition goes, as it last published it in {@link ReplicaStates}. The coordinator
 * elects the live candidate with the highest {@code (lastEpoch, logEndOffset)}; {@code cluster status} shows lag.
 *
 * @param lastEpoch     the highest leader epoch among the records of its log
 * @param logEndOffset  the offset its next record would get
 * @param highWatermark the highest offset it knows to be replicated to the whole ISR
 */
public record ReplicaState(int lastEpoch, long logEndOffset, long highWatermark) {
    /** Higher epoch first, then longer log: the better leader candidate compares greater. */
    public int compareAsCandidate(ReplicaState o) {
        int c = Integer.compare(lastEpoch, o.lastEpoch);
        return c != 0 ? c : Long.compare(logEndOffset, o.logEndOffset);
    }

    String encode() {
        return lastEpoch + "|" + logEndOffset + "|" + highWatermark;
    }

    static ReplicaState decode(String s) {
        String[] f = s.split("\\|");
        return new ReplicaState(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
