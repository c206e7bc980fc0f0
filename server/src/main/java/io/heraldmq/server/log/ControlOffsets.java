package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The offsets a partition log gives to control records ({@link RecordBatch#ATTR_CONTROL}: epoch markers, replicated
 * positions and definitions), so that counts shown to users (messages in a destination, a subscription's backlog)
 * leave them out and a clustered broker shows what a single node would. Kept as sorted ranges
 * [start, end), one per control batch (adjacent ones merged), with the number of control offsets below each range,
 * so a count between two offsets is two binary searches.
 * <p>
 * Threads: changed by the log's owner thread (append, truncation, retention), read by any (admin listings, a
 * subscription's context). Every method is synchronized: only control batches (a few per second at most) and
 * readers take the lock, never an ordinary append.
 * <p>
 * Persistence: {@link PartitionLog#close} writes {@code control-offsets} (replaced durably) before the clean-shutdown
 * marker, and a clean open loads it when it describes the log end found. Any other open of a clustered partition
 * rebuilds it by reading every batch header ({@link LogSegment#collectControlBatches}); single nodes write no
 * control records and skip that. Layout, big-endian:
 * <pre>
 * offset   size  field
 * 0        4     magic 0x48434f31 ("HCO1")
 * 4        8     log end offset the file describes
 * 12       4     n: number of ranges
 * 16       16*n  ranges: int64 start, int64 end (exclusive), ascending, disjoint
 * 16+16n   4     CRC32C of every byte before
 * </pre>
 * A file with a wrong size, magic, CRC or end reads as absent, which is always safe: absent means "rebuild".
 */
public final class ControlOffsets {
    static final String FILE = "control-offsets";
    private static final int MAGIC = 0x48434f31;

    private long[] starts = new long[8];
    private long[] ends = new long[8];
    /** before[i]: control offsets in ranges 0..i-1. */
    private long[] before = new long[8];
    private int n;

    /** Records that a control batch holds the offsets [start, end). Ranges must come in ascending order. */
    public synchronized void add(long start, long end) {
        if (end <= start) {
            return;
        }
        if (n > 0 && ends[n - 1] == start) {
            ends[n - 1] = end;
            return;
        }
        if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            ends = Arrays.copyOf(ends, n * 2);
            before = Arrays.copyOf(before, n * 2);
        }
        before[n] = n == 0 ? 0 : before[n - 1] + ends[n - 1] - starts[n - 1];
        starts[n] = start;
        ends[n] = end;
        n++;
    }

    /** How many control offsets lie in [from, to). */
    public synchronized long count(long from, long to) {
        return to <= from ? 0 : below(to) - below(from);
    }

    private long below(long offset) {
        int i = lastStartingBelow(offset);
        if (i < 0) {
            return n == 0 ? 0 : before[0]; // before[] may start above 0 once retention dropped ranges
        }
        return before[i] + Math.min(ends[i], offset) - starts[i];
    }

    /** The last range starting below {@code offset}, or -1. */
    private int lastStartingBelow(long offset) {
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Forgets every control offset at or above {@code offset} (the log was truncated there). */
    public synchronized void truncateTo(long offset) {
        int i = lastStartingBelow(offset);
        n = i + 1;
        if (i >= 0 && ends[i] > offset) {
            ends[i] = offset;
        }
    }

    /** Forgets every control offset below {@code offset} (retention moved the log start there). */
    public synchronized void dropBelow(long offset) {
        int first = 0;
        while (first < n && ends[first] <= offset) {
            first++;
        }
        if (first > 0) {
            System.arraycopy(starts, first, starts, 0, n - first);
            System.arraycopy(ends, first, ends, 0, n - first);
            System.arraycopy(before, first, before, 0, n - first);
            n -= first;
        }
        if (n > 0 && starts[0] < offset) {
            before[0] += offset - starts[0]; // only differences of before[] are used
            starts[0] = offset;
        }
    }

    /** Writes the ranges as describing a log that ends at {@code logEnd}; durable when it returns. */
    synchronized void write(Path dir, long logEnd) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(20 + 16 * n);
        bytes.putInt(MAGIC).putLong(logEnd).putInt(n);
        for (int i = 0; i < n; i++) {
            bytes.putLong(starts[i]).putLong(ends[i]);
        }
        bytes.putInt(crc(bytes.array(), bytes.position()));
        IoUtil.replaceDurably(dir.resolve(FILE), bytes.flip());
    }

    /** The ranges stored in {@code dir} for a log ending at {@code logEnd}, or null if there are none valid. */
    static ControlOffsets read(Path dir, long logEnd) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 20) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int count = buffer.getInt(12);
        if (buffer.getInt(0) != MAGIC || buffer.getLong(4) != logEnd || count < 0
                || bytes.length != 20 + 16L * count
                || crc(bytes, bytes.length - 4) != buffer.getInt(bytes.length - 4)) {
            return null;
        }
        ControlOffsets out = new ControlOffsets();
        buffer.position(16);
        for (int i = 0; i < count; i++) {
            out.add(buffer.getLong(), buffer.getLong());
        }
        return out;
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
