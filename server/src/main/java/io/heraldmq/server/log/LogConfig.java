package io.heraldmq.server.log;

/**
 * Settings of one partition log.
 *
 * @param segmentBytes       roll to a new segment when the active one would grow past this; at most
 *                           {@link Integer#MAX_VALUE} because index entries store int32 file positions
 * @param segmentMs          roll when the active segment is older than this (checked on append)
 * @param indexIntervalBytes bytes of log between two sparse index entries; smaller = faster seeks, bigger indexes
 * @param preallocate        zero-fill segment files ahead of the write position, so that an fdatasync after an
 *                           append does not also have to commit a new file size and block allocation
 * @param controlRecords     the log may hold control records (a clustered broker's): an open without a valid
 *                           {@code control-offsets} file finds them by reading every batch header
 *                           ({@link ControlOffsets}); a single node's logs never hold any and skip that
 */
public record LogConfig(long segmentBytes, long segmentMs, int indexIntervalBytes, boolean preallocate,
        boolean controlRecords) {

    /** A log without control records (a single node's). */
    public LogConfig(long segmentBytes, long segmentMs, int indexIntervalBytes, boolean preallocate) {
        this(segmentBytes, segmentMs, indexIntervalBytes, preallocate, false);
    }

    public LogConfig {
        if (segmentBytes < io.heraldmq.protocol.RecordBatch.HEADER_BYTES || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segmentBytes must be in [" + io.heraldmq.protocol.RecordBatch.HEADER_BYTES + ", "
                    + Integer.MAX_VALUE + "]: " + segmentBytes);
        }
        if (segmentMs <= 0) {
            throw new IllegalArgumentException("segmentMs must be positive: " + segmentMs);
        }
        if (indexIntervalBytes <= 0) {
            throw new IllegalArgumentException("indexIntervalBytes must be positive: " + indexIntervalBytes);
        }
    }

    /** 64 MiB segments, rolled after 7 days at the latest, an index entry every 4 KiB, preallocated. */
    public static LogConfig defaults() {
        return new LogConfig(64L * 1024 * 1024, 7L * 24 * 3600 * 1000, 4096, true);
    }
}
