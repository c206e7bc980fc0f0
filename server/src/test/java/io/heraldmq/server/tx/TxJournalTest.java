package io.heraldmq.server.tx;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal record layout, and what {@link TxJournal#open} keeps of a damaged journal. */
class TxJournalTest {
    private static final long ROLL = 1 << 20;

    static Buffer batch(long producerId, int sequence, String text) {
        return batchOf(producerId, sequence, text);
    }

    /** A persistent batch of text messages carrying the transaction identity. */
    static Buffer batchOf(long producerId, int sequence, String... texts) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64)
                .transaction(producerId, sequence);
        for (String text : texts) {
            WireMessage m = new WireMessage();
            m.bodyType = WireMessage.BODY_TEXT;
            m.body = Buffer.buffer(text);
            b.add(System.currentTimeMillis(), null, m.encode());
        }
        return b.build();
    }

    static TxRecord record(int sequence) {
        return new TxRecord(0, 77, sequence,
                List.of(new TxRecord.Batch(DestinationKind.QUEUE, "out-a", 0, 5, batch(77, sequence, "a" + sequence)),
                        new TxRecord.Batch(DestinationKind.TOPIC, "out-b", 2, 9, batch(77, sequence, "b" + sequence))),
                List.of(new TxRecord.Ack("queue:in", 0, 3), new TxRecord.Ack("durable:c:s", 1, 12)));
    }

    @Test
    void recordLayoutIsAsDocumented() {
        TxRecord original = record(4);
        Buffer b = original.withIndex(9).encode();
        assertEquals(b.length() - 4, b.getInt(0), "length counts everything after itself");
        assertEquals(9, b.getLong(8), "index");
        assertEquals(77, b.getLong(16), "producerId");
        assertEquals(4, b.getInt(24), "sequence");
        assertEquals(2, b.getInt(28), "batchCount");
        assertEquals(DestinationKind.QUEUE.code(), b.getByte(32));
        assertEquals(5, b.getShort(33), "destination length");
        assertEquals("out-a", b.getString(35, 40));
        assertEquals(0, b.getInt(40), "partition");
        assertEquals(5, b.getLong(44), "lower bound");
        int batchLength = b.getInt(52);
        assertEquals(original.batches().get(0).batch(), b.slice(56, 56 + batchLength));

        TxRecord.Decoded d = TxRecord.decode(b, 0);
        assertEquals(b.length(), d.end());
        TxRecord r = d.record();
        assertEquals(9, r.index());
        assertEquals(77, r.producerId());
        assertEquals(4, r.sequence());
        assertEquals(original.acks(), r.acks());
        assertEquals(2, r.batches().size());
        assertEquals(original.batches().get(1).batch(), r.batches().get(1).batch());
        assertEquals(2, r.batches().get(1).partition());
        assertEquals(9, r.batches().get(1).lowerBound());
    }

    @Test
    void aFlippedBitOrATruncationIsNotARecord() {
        Buffer b = record(1).withIndex(1).encode();
        for (int n = 0; n < b.length(); n++) {
            assertNull(TxRecord.decode(b.slice(0, n), 0), "cut at " + n);
        }
        for (int i = 8; i < b.length(); i += 7) {
            Buffer copy = b.copy();
            copy.setByte(i, (byte) (copy.getByte(i) ^ 0x10));
            assertNull(TxRecord.decode(copy, 0), "bit flipped at " + i);
        }
    }

    @Test
    void recordsSurviveReopenAndIndexesContinue(@TempDir Path dir) throws IOException {
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(1, j.nextIndex());
            j.mark();
            assertEquals(1, j.append(record(0)).index());
            assertEquals(2, j.append(record(1)).index());
            j.force();
        }
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(2, j.records().size());
            assertEquals(1, j.records().get(1).sequence());
            assertEquals(3, j.nextIndex());
        }
    }

    @Test
    void aTornTailIsCutOffAndAppendsContinueBehindTheLastWholeRecord(@TempDir Path dir) throws IOException {
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            j.append(record(0));
            j.append(record(1));
            j.force();
        }
        Path file = onlyFile(dir);
        long whole = Files.size(file);
        Buffer third = record(2).withIndex(3).encode();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(third.getBytes(0, third.length() / 2))); // a write cut short by a crash
        }
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(2, j.records().size());
            assertEquals(whole, Files.size(file), "the torn record is cut off");
            assertEquals(3, j.append(record(2)).index());
            j.force();
        }
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(3, j.records().size(), "the record appended after the cut reads back");
        }
    }

    @Test
    void garbageAtTheEndIsCutOff(@TempDir Path dir) throws IOException {
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            j.append(record(0));
            j.force();
        }
        Path file = onlyFile(dir);
        long whole = Files.size(file);
        Files.write(file, new byte[] {0, 0, 1, 0, 42, 42, 42}, StandardOpenOption.APPEND);
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(1, j.records().size());
        }
        assertEquals(whole, Files.size(file));
    }

    @Test
    void aRecordWithABadCrcEndsTheScan(@TempDir Path dir) throws IOException {
        long secondAt;
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            j.append(record(0));
            secondAt = Files.size(onlyFile(dir));
            j.append(record(1));
            j.append(record(2));
            j.force();
        }
        Path file = onlyFile(dir);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), secondAt + 30); // inside the second record
        }
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(1, j.records().size(), "the scan ends at the damaged record");
            assertEquals(secondAt, Files.size(file));
            assertEquals(2, j.nextIndex());
        }
    }

    @Test
    void rollsAndDeletesOnlyFilesWhollyAtOrBelowTheCheckpoint(@TempDir Path dir) throws IOException {
        long rollBytes = record(0).withIndex(1).encode().length() * 2L; // two records per file
        try (TxJournal j = TxJournal.open(dir, rollBytes, 1)) {
            for (int i = 0; i < 7; i++) {
                j.mark();
                j.append(record(i));
                j.force();
            }
            assertEquals(4, j.fileCount()); // 1-2, 3-4, 5-6, 7
            j.deleteThrough(3);
            assertEquals(3, j.fileCount(), "3-4 still holds an unsettled record");
            j.deleteThrough(6);
            assertEquals(1, j.fileCount(), "the active file stays");
        }
        try (TxJournal j = TxJournal.open(dir, rollBytes, 7)) {
            assertEquals(1, j.records().size());
            assertEquals(7, j.records().get(0).index());
            assertEquals(8, j.nextIndex());
        }
    }

    @Test
    void rewindTakesBackAGroup(@TempDir Path dir) throws IOException {
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            j.append(record(0));
            j.force();
            TxJournal.Mark mark = j.mark();
            j.append(record(1));
            j.rewind(mark);
            assertEquals(2, j.append(record(2)).index(), "the index is given out again");
            j.force();
        }
        try (TxJournal j = TxJournal.open(dir, ROLL, 1)) {
            assertEquals(List.of(0, 2), j.records().stream().map(TxRecord::sequence).toList());
        }
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(TxJournal.SUFFIX)).toList();
            assertEquals(1, all.size());
            assertTrue(all.get(0).getFileName().toString().matches("\\d{20}\\.txlog"));
            return all.get(0);
        }
    }
}
