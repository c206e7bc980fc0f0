package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The sparse time index of one segment ({@code %020d.timeindex}), for seek by timestamp and for time retention.
 * <p>
 * File layout: entries back to back, no header, big-endian:
 * <pre>
 * offset size field
 * 0      8    timestamp       largest record timestamp (maxTimestamp of the batches) in the segment up to here
 * 8      4    relativeOffset  base offset - segment base offset of the batch at which that maximum was seen
 * </pre>
 * An entry is added at most once per index interval and only when the running maximum grew, so timestamps are
 * strictly increasing. When a segment is closed a last entry records its final maximum, so the largest timestamp of a
 * closed segment is its last entry. Producer clocks may go backwards; because entries hold a running maximum, the
 * first batch with {@code maxTimestamp >= t} is always after the last entry with {@code timestamp < t}.
 * <p>
 * Durability and visibility as in {@link OffsetIndex}.
 */
final class TimeIndex implements AutoCloseable {
    static final int ENTRY_BYTES = 12;

    private record Entries(long[] timestamps, int[] relativeOffsets) {
    }

    private final Path file;
    private final FileChannel channel;
    private volatile Entries entries;
    private volatile int count;

    private TimeIndex(Path file, FileChannel channel, Entries entries, int count) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
        this.count = count;
    }

    static TimeIndex open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        int n = (int) (channel.size() / ENTRY_BYTES);
        ByteBuffer bytes = ByteBuffer.allocate(n * ENTRY_BYTES);
        IoUtil.readFully(channel, bytes, 0);
        bytes.flip();
        Entries e = new Entries(new long[Math.max(16, n)], new int[Math.max(16, n)]);
        for (int i = 0; i < n; i++) {
            e.timestamps[i] = bytes.getLong();
            e.relativeOffsets[i] = bytes.getInt();
        }
        return new TimeIndex(file, channel, e, n);
    }

    Path file() {
        return file;
    }

    int entryCount() {
        return count;
    }

    /** Largest timestamp recorded, or -1 when empty. */
    long lastTimestamp() {
        int n = count;
        return n == 0 ? -1 : entries.timestamps[n - 1];
    }

    long timestamp(int i) {
        return entries.timestamps[i];
    }

    int relativeOffset(int i) {
        return entries.relativeOffsets[i];
    }

    /**
     * How many entries name a batch below {@code relativeOffset}: the ones a cut there keeps. Such an entry stays true
     * after the cut, because the batch that holds its maximum stays; relative offsets never decrease along the file.
     */
    int countBelow(int relativeOffset) {
        int n = count;
        Entries e = entries;
        while (n > 0 && e.relativeOffsets[n - 1] >= relativeOffset) {
            n--;
        }
        return n;
    }

    /** Owner thread: keeps the first {@code n} entries (a log truncation). */
    void truncateTo(int n) throws IOException {
        if (n < count) {
            count = n;
        }
        channel.truncate((long) n * ENTRY_BYTES);
    }

    /** Owner thread; ignored unless {@code timestamp} exceeds the last entry. */
    void maybeAppend(long timestamp, int relativeOffset) throws IOException {
        int n = count;
        Entries e = entries;
        if (n > 0 && timestamp <= e.timestamps[n - 1]) {
            return;
        }
        if (n == e.timestamps.length) {
            e = new Entries(Arrays.copyOf(e.timestamps, n * 2), Arrays.copyOf(e.relativeOffsets, n * 2));
        }
        e.timestamps[n] = timestamp;
        e.relativeOffsets[n] = relativeOffset;
        entries = e;
        ByteBuffer bytes = ByteBuffer.allocate(ENTRY_BYTES).putLong(timestamp).putInt(relativeOffset).flip();
        IoUtil.writeFully(channel, bytes, (long) n * ENTRY_BYTES);
        count = n + 1;
    }

    /**
     * @return the relative offset of the last entry whose timestamp is below {@code timestamp} (where a forward scan
     *         for the first batch with {@code maxTimestamp >= timestamp} may start), or -1 to scan from the start
     */
    int lookupBelow(long timestamp) {
        Entries e = entries;
        int found = lastWhere(count, i -> e.timestamps[i] < timestamp);
        return found < 0 ? -1 : e.relativeOffsets[found];
    }

    /** The last of the first {@code n} entries for which {@code holds} is true (it holds for a prefix), or -1. */
    private static int lastWhere(int n, java.util.function.IntPredicate holds) {
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * @return the timestamp of the last entry whose batch starts at or before {@code relativeOffset} (the running
     *         maximum up to that batch), or -1 if none does. Memory only; any thread.
     */
    long timestampAtOrBefore(int relativeOffset) {
        Entries e = entries;
        int found = lastWhere(count, i -> e.relativeOffsets[i] <= relativeOffset);
        return found < 0 ? -1 : e.timestamps[found];
    }

    void clear() throws IOException {
        count = 0;
        channel.truncate(0);
    }

    void force() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
