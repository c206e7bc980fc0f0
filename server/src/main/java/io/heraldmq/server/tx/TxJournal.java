package io.heraldmq.server.tx;

import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The transaction journal's files under {@code <data>/tx/}: {@code %020d.txlog}, each named by the index of its
 * first record, holding {@link TxRecord}s back to back. Records are only appended; a file is closed (rolled) once
 * it passes {@code rollBytes}, and deleted once every record in it is settled ({@link #deleteThrough}).
 * <p>
 * {@link #open} reads every file: the first record that is torn, fails its CRC or breaks the index sequence ends
 * the journal; the file is cut back to the record before it and any later file is deleted (a crash can only tear
 * the tail of the last file: a file is rolled after its records were fsynced).
 * <p>
 * Blocking file I/O and not thread-safe: used by one thread at a time (recovery, then {@link TxJournalWriter}'s).
 */
final class TxJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TxJournal.class);
    static final String SUFFIX = ".txlog";

    private final Path dir;
    private final long rollBytes;
    /** First index of every file, to its path; the last one is the active file. */
    private final TreeMap<Long, Path> files = new TreeMap<>();
    private final List<TxRecord> records;
    private FileChannel active;
    private long activeSize;
    private long nextIndex;

    private TxJournal(Path dir, long rollBytes, List<TxRecord> records, long nextIndex) {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.records = records;
        this.nextIndex = nextIndex;
    }

    /**
     * Opens the journal in {@code dir} (created if missing), reads its records and cuts off a torn tail.
     *
     * @param firstIndex the index to start at when there is no record (one past the checkpoint)
     */
    static TxJournal open(Path dir, long rollBytes, long firstIndex) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                    found.put(Long.parseLong(name.substring(0, 20)), p);
                }
            }
        }
        List<TxRecord> records = new ArrayList<>();
        long expected = -1;
        boolean ended = false;
        TxJournal journal = new TxJournal(dir, rollBytes, records, firstIndex);
        for (var e : found.entrySet()) {
            Path file = e.getValue();
            if (ended) {
                LOG.error("transaction journal file {} follows a damaged record; deleted", file);
                Files.delete(file);
                continue;
            }
            Buffer bytes = Buffer.buffer(Files.readAllBytes(file));
            int pos = 0;
            if (expected >= 0 && e.getKey() != expected) {
                ended = true;
            }
            while (!ended && pos < bytes.length()) {
                TxRecord.Decoded d = TxRecord.decode(bytes, pos);
                if (d == null || (expected >= 0 && d.record().index() != expected)
                        || (pos == 0 && d.record().index() != e.getKey())) {
                    ended = true;
                    break;
                }
                records.add(d.record());
                expected = d.record().index() + 1;
                pos = d.end();
            }
            if (ended && pos == 0) {
                Files.delete(file);
                continue;
            }
            if (pos < bytes.length()) {
                LOG.warn("transaction journal {}: {} bytes after position {} are not a whole record (a write cut "
                        + "short by a crash); cut off", file, (bytes.length() - pos), pos);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(pos);
                    ch.force(true);
                }
                ended = true;
            }
            journal.files.put(e.getKey(), file);
        }
        if (!records.isEmpty()) {
            journal.nextIndex = Math.max(firstIndex, records.get(records.size() - 1).index() + 1);
        }
        journal.openActive();
        return journal;
    }

    /** The records found at {@link #open}, in index order. */
    List<TxRecord> records() {
        return records;
    }

    /** The index the next appended record gets. */
    long nextIndex() {
        return nextIndex;
    }

    /**
     * Starts a group of appends that {@link #rewind} can take back: rolls first if the active file is full, so the
     * group lies in one file.
     */
    Mark mark() throws IOException {
        if (activeSize >= rollBytes) {
            roll();
        }
        return new Mark(activeSize, nextIndex);
    }

    /** Where a group of appends began. */
    record Mark(long size, long nextIndex) {
    }

    /**
     * Takes back the appends since {@code mark} (a write or fsync failed part-way): the file is cut back so that no
     * half-written record sits in front of the next, and their indexes are given out again.
     */
    void rewind(Mark mark) throws IOException {
        active.truncate(mark.size());
        active.force(false);
        activeSize = mark.size();
        nextIndex = mark.nextIndex();
    }

    /** Gives {@code record} the next index and writes it (not yet durable: {@link #force}). */
    TxRecord append(TxRecord record) throws IOException {
        TxRecord placed = record.withIndex(nextIndex);
        ByteBuffer bytes = placed.encode().getByteBuf().nioBuffer();
        long position = activeSize;
        while (bytes.hasRemaining()) {
            position += active.write(bytes, position);
        }
        activeSize = position;
        nextIndex++;
        return placed;
    }

    void force() throws IOException {
        active.force(false);
    }

    /**
     * Deletes every closed file whose records all have an index at or below {@code settled}. The active file stays
     * (it is rolled when full).
     */
    void deleteThrough(long settled) throws IOException {
        while (files.size() > 1) {
            var first = files.firstEntry();
            long nextFileStart = files.higherKey(first.getKey());
            if (nextFileStart - 1 > settled) {
                return;
            }
            Files.deleteIfExists(first.getValue());
            files.remove(first.getKey());
        }
    }

    /** Number of journal files, for tests. */
    int fileCount() {
        return files.size();
    }

    @Override
    public void close() throws IOException {
        if (active != null) {
            active.close();
            active = null;
        }
    }

    private void roll() throws IOException {
        active.force(false);
        active.close();
        active = null;
        openActive();
    }

    /** Continues the last file, or starts one named by the next index when there is none or it is full. */
    private void openActive() throws IOException {
        var last = files.lastEntry();
        if (last != null && last.getKey() != nextIndex && Files.size(last.getValue()) == 0) {
            // rolled just before a crash: its name must be the index of the first record it will hold
            Files.delete(last.getValue());
            files.remove(last.getKey());
            last = files.lastEntry();
        }
        Path file;
        if (last != null && Files.size(last.getValue()) < rollBytes) {
            file = last.getValue();
        } else {
            file = dir.resolve(String.format("%020d", nextIndex) + SUFFIX);
            files.put(nextIndex, file);
        }
        active = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        activeSize = active.size();
        if (last == null || !file.equals(last.getValue())) {
            forceDirectory(dir);
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
