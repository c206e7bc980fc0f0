package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The sparse offset index of one segment ({@code %020d.index}): maps the relative offset of a batch to its byte
 * position in the segment's log file, one entry every {@link LogConfig#indexIntervalBytes} or so.
 * <p>
 * File layout: entries back to back, no header, big-endian:
 * <pre>
 * offset size field
 * 0      4    relativeOffset  batch base offset - segment base offset
 * 4      4    position        byte position of that batch in the .log file
 * </pre>
 * Entries are strictly increasing in both fields. A trailing partial entry (torn write) is ignored on load.
 * <p>
 * The entries also live in memory, so lookups never touch the disk. The file is written by the owner thread only;
 * it is not fsynced on every flush but when its segment is closed: recovery rebuilds the index of every segment it
 * scans, so an index only has to be durable once its segment is trusted without a scan.
 * <p>
 * Readers on other threads see entries through a volatile count written after the entry (and after a grown array
 * is published), so a reader never sees a half-written entry.
 */
final class OffsetIndex implements AutoCloseable {
    static final int ENTRY_BYTES = 8;

    private final Path file;
    private final FileChannel channel;
    /** relativeOffset in the high 32 bits, position in the low 32 bits. */
    private volatile long[] entries;
    private volatile int count;

    private OffsetIndex(Path file, FileChannel channel, long[] entries, int count) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
        this.count = count;
    }

    /** Opens the index file, creating it if absent, and loads its whole entries. */
    static OffsetIndex open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        int n = (int) (channel.size() / ENTRY_BYTES);
        ByteBuffer bytes = ByteBuffer.allocate(n * ENTRY_BYTES);
        IoUtil.readFully(channel, bytes, 0);
        bytes.flip();
        long[] entries = new long[Math.max(16, n)];
        for (int i = 0; i < n; i++) {
            entries[i] = bytes.getLong();
        }
        return new OffsetIndex(file, channel, entries, n);
    }

    Path file() {
        return file;
    }

    int entryCount() {
        return count;
    }

    int relativeOffset(int i) {
        return (int) (entries[i] >>> 32);
    }

    int position(int i) {
        return (int) entries[i];
    }

    /** Owner thread. */
    void append(int relativeOffset, int position) throws IOException {
        int n = count;
        long entry = ((long) relativeOffset << 32) | (position & 0xFFFFFFFFL);
        long[] current = entries;
        if (n == current.length) {
            current = Arrays.copyOf(current, n * 2);
            current[n] = entry;
            entries = current;
        } else {
            current[n] = entry;
        }
        IoUtil.writeFully(channel, ByteBuffer.allocate(ENTRY_BYTES).putLong(0, entry), (long) n * ENTRY_BYTES);
        count = n + 1;
    }

    /**
     * @return the position of the last indexed batch whose relative offset is at most {@code relativeOffset}, or 0;
     *         scanning forward from there finds the batch holding that offset
     */
    int lookup(int relativeOffset) {
        int n = count;
        long[] e = entries;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if ((int) (e[mid] >>> 32) <= relativeOffset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? 0 : (int) e[found];
    }

    /** How many entries have a relative offset below {@code relativeOffset}: the ones a cut there keeps. */
    int countBelow(int relativeOffset) {
        int n = count;
        long[] e = entries;
        while (n > 0 && (int) (e[n - 1] >>> 32) >= relativeOffset) {
            n--;
        }
        return n;
    }

    /**
     * Owner thread: keeps the first {@code n} entries (a log truncation). Lookups for offsets below the cut never
     * choose a dropped entry, so readers need no protection; the next {@link #append} overwrites the slot.
     */
    void truncateTo(int n) throws IOException {
        if (n < count) {
            count = n;
        }
        channel.truncate((long) n * ENTRY_BYTES);
    }

    /** Owner thread, no concurrent readers of the dropped entries: drops every entry (recovery rebuilds it). */
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
