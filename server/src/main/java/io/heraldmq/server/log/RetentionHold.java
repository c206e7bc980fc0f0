package io.heraldmq.server.log;

/**
 * One subscription's claim on a partition's log, for retention: the offsets from {@code neededFrom} on are not all
 * acknowledged by it yet, and it keeps them until its retention has passed. A closed segment that holds such an
 * offset stays while its newest record is no older than {@code retentionMs}; once that age is passed, or once the
 * subscription has acknowledged past the segment's last offset, the hold no longer keeps that segment.
 *
 * @param neededFrom  the subscription's committed offset: everything below it is acknowledged
 * @param retentionMs how long the subscription keeps what it has not acknowledged, 0 or more
 */
public record RetentionHold(long neededFrom, long retentionMs) {
    public RetentionHold {
        if (retentionMs < 0) {
            throw new IllegalArgumentException("retentionMs must not be negative, was " + retentionMs);
        }
    }

    /**
     * Whether this hold keeps a closed segment.
     *
     * @param lastOffset   the segment's last offset
     * @param maxTimestamp the segment's newest record timestamp
     * @param now          the retention check's time
     */
    public boolean keeps(long lastOffset, long maxTimestamp, long now) {
        return lastOffset >= neededFrom && now - maxTimestamp <= retentionMs;
    }
}
