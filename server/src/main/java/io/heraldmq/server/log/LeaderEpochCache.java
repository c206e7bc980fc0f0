package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The leader-epoch history of one partition: for every leader epoch that wrote to the log, the offset of its first
 * batch. An entry {@code (epoch, startOffset)} covers the offsets from its start up to the next entry's start (the
 * latest entry: up to the log end). Entries are strictly increasing in both fields. Replicas compare these histories
 * to find where their logs diverge ({@link #endOffsetFor}, as Kafka's OffsetsForLeaderEpoch), without trusting a
 * high watermark.
 * <p>
 * What the owner of the partition must do, so that the cache describes the log:
 * <ul>
 * <li>{@link #assign} the epoch and base offset of each batch appended (a leader: its epoch at the log end when it
 * takes over; a follower: every copied batch's epoch, which is a no-op unless the epoch is new);</li>
 * <li>{@link #truncateFromEnd} after {@link PartitionLog#truncateTo}, and after {@link PartitionLog#open} with the
 * log end: {@code assign} is durable at once while the batch it describes may have been lost in a crash;</li>
 * <li>{@link #truncateFromStart} after retention moved the log start.</li>
 * </ul>
 * <p>
 * File {@value #FILE_NAME} in the partition directory, replaced atomically (tmp, fsync, rename, fsync of the
 * directory) on every change before the change is visible. Layout, big-endian:
 * <pre>
 * offset    size    field
 * 0         4       version      1
 * 4         4       count        n, number of entries
 * 8         12 * n  entries      each: epoch (int32), startOffset (int64); strictly increasing in both
 * 8 + 12n   4       crc          CRC32C of bytes 0 .. 8 + 12n - 1
 * </pre>
 * A missing file is an empty history (a new partition). A file that does not parse (wrong size, version, CRC or
 * order) throws {@link CorruptLogException}: losing the history silently would let a replica keep a divergent tail.
 * <p>
 * Threads: one owner changes it at a time (changes are also serialized here); any thread may read, lock-free, from
 * an immutable snapshot that a change replaces.
 */
public final class LeaderEpochCache {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    static final int VERSION = 1;
    private static final int HEADER_BYTES = 8;
    private static final int ENTRY_BYTES = 12;
    private static final int CRC_BYTES = 4;

    /** An epoch and the offset of its first batch. */
    public record EpochEntry(int epoch, long startOffset) {
    }

    /**
     * The answer to "where does my epoch end in your log": {@code epoch} is the largest epoch at or below the one
     * asked about, {@code endOffset} the offset after its last batch; both -1 if there is none.
     */
    public record EpochEnd(int epoch, long endOffset) {
        public static final EpochEnd UNDEFINED = new EpochEnd(-1, -1);
    }

    private final Path file;
    /** Immutable; replaced after the file. */
    private volatile List<EpochEntry> entries;

    private LeaderEpochCache(Path file, List<EpochEntry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /**
     * Loads the history of the partition in {@code partitionDir}; empty if it has none yet.
     *
     * @throws CorruptLogException if the file is damaged
     */
    public static LeaderEpochCache open(Path partitionDir) throws IOException {
        Path file = partitionDir.resolve(FILE_NAME);
        return new LeaderEpochCache(file, Files.exists(file) ? read(file) : List.of());
    }

    Path file() {
        return file;
    }

    // ---------------------------------------------------------------- reads (any thread)

    /** A snapshot of the entries, oldest first. */
    public List<EpochEntry> entries() {
        return entries;
    }

    /** The latest epoch, or -1 if there is none. */
    public int latestEpoch() {
        List<EpochEntry> current = entries;
        return current.isEmpty() ? -1 : current.get(current.size() - 1).epoch();
    }

    /** The offset where {@code epoch} starts, or -1 if it has no entry. */
    public long startOffsetOf(int epoch) {
        for (EpochEntry entry : entries) {
            if (entry.epoch() == epoch) {
                return entry.startOffset();
            }
        }
        return -1;
    }

    /**
     * Where the largest epoch at or below {@code requestedEpoch} ends: at the start of the next epoch in the history,
     * or at {@code logEndOffset} if it is the latest (also when {@code requestedEpoch} is above the latest).
     * {@link EpochEnd#UNDEFINED} if the history is empty or starts above {@code requestedEpoch}.
     */
    public EpochEnd endOffsetFor(int requestedEpoch, long logEndOffset) {
        List<EpochEntry> current = entries;
        int floor = -1;
        for (int i = 0; i < current.size() && current.get(i).epoch() <= requestedEpoch; i++) {
            floor = i;
        }
        if (floor < 0) {
            return EpochEnd.UNDEFINED;
        }
        long end = floor == current.size() - 1 ? logEndOffset : current.get(floor + 1).startOffset();
        return new EpochEnd(current.get(floor).epoch(), end);
    }

    // ---------------------------------------------------------------- changes (owner), durable before they return

    /**
     * Records that {@code epoch} wrote a batch at {@code startOffset}. Nothing changes for an epoch at or below the
     * latest with a start at or after the latest's: the common case of a batch of the current epoch. A new, higher
     * epoch is appended. A start before the latest's means the log was cut without the cache: as in Kafka, the entries
     * it contradicts go first (those starting at or after it and, for an epoch not above the latest, those of its
     * epoch or higher), so the history describes the log again.
     *
     * @throws IllegalArgumentException for a negative epoch or offset
     */
    public synchronized void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " at offset " + startOffset + " for " + file);
        }
        List<EpochEntry> current = entries;
        if (!current.isEmpty()) {
            EpochEntry latest = current.get(current.size() - 1);
            if (epoch <= latest.epoch() && startOffset >= latest.startOffset()) {
                return;
            }
        }
        List<EpochEntry> next = new ArrayList<>(current);
        while (!next.isEmpty()) {
            EpochEntry last = next.get(next.size() - 1);
            if (last.epoch() < epoch && last.startOffset() < startOffset) {
                break;
            }
            next.remove(next.size() - 1);
        }
        next.add(new EpochEntry(epoch, startOffset));
        write(next);
    }

    /** Removes the entries starting at or after {@code endOffset}: the log was cut there. */
    public synchronized void truncateFromEnd(long endOffset) throws IOException {
        List<EpochEntry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= endOffset) {
            keep--;
        }
        if (keep < current.size()) {
            write(current.subList(0, keep));
        }
    }

    /**
     * The log now starts at {@code startOffset}: entries wholly below it go, and the one covering it starts there.
     * Later epochs keep their starts.
     */
    public synchronized void truncateFromStart(long startOffset) throws IOException {
        List<EpochEntry> current = entries;
        int covering = -1;
        for (int i = 0; i < current.size() && current.get(i).startOffset() <= startOffset; i++) {
            covering = i;
        }
        if (covering < 0 || covering == 0 && current.get(0).startOffset() == startOffset) {
            return;
        }
        List<EpochEntry> next = new ArrayList<>();
        next.add(new EpochEntry(current.get(covering).epoch(), startOffset));
        next.addAll(current.subList(covering + 1, current.size()));
        write(next);
    }

    // ---------------------------------------------------------------- file

    private void write(List<EpochEntry> next) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + ENTRY_BYTES * next.size() + CRC_BYTES);
        bytes.putInt(VERSION).putInt(next.size());
        for (EpochEntry entry : next) {
            bytes.putInt(entry.epoch()).putLong(entry.startOffset());
        }
        bytes.putInt(crc(bytes.array(), bytes.position()));
        IoUtil.replaceDurably(file, bytes.flip());
        entries = List.copyOf(next);
    }

    private static List<EpochEntry> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new CorruptLogException(file, 0, "only " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(0) != VERSION) {
            throw new CorruptLogException(file, 0, "unknown version " + buffer.getInt(0));
        }
        int count = buffer.getInt(4);
        long expected = HEADER_BYTES + (long) ENTRY_BYTES * count + CRC_BYTES;
        if (count < 0 || expected != bytes.length) {
            throw new CorruptLogException(file, 4, "count " + count + " needs " + expected + " bytes, the file has "
                    + bytes.length);
        }
        int crcAt = bytes.length - CRC_BYTES;
        if (crc(bytes, crcAt) != buffer.getInt(crcAt)) {
            throw new CorruptLogException(file, crcAt, "CRC mismatch");
        }
        List<EpochEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = HEADER_BYTES + i * ENTRY_BYTES;
            EpochEntry entry = new EpochEntry(buffer.getInt(at), buffer.getLong(at + 4));
            EpochEntry previous = i == 0 ? null : entries.get(i - 1);
            if (entry.epoch() < 0 || entry.startOffset() < 0 || previous != null
                    && (entry.epoch() <= previous.epoch() || entry.startOffset() <= previous.startOffset())) {
                throw new CorruptLogException(file, at, "entry " + entry + " after " + previous);
            }
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
