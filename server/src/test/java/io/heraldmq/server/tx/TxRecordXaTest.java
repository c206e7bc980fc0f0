package io.heraldmq.server.tx;

import io.heraldmq.protocol.WireXid;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The XA records of the transaction journal: the trailer after the COMMIT layout, and damaged ones. */
class TxRecordXaTest {
    private static final WireXid XID = new WireXid(5, "g".getBytes(StandardCharsets.US_ASCII), new byte[]{7});

    private static TxRecord prepared(int sequence) {
        return TxJournalTest.record(sequence).asXa(TxRecord.Kind.PREPARED, XID);
    }

    @Test
    void aPreparedRecordIsTheCommitLayoutPlusKindAndXid() {
        TxRecord base = TxJournalTest.record(4);
        Buffer commit = base.withIndex(9).encode();
        Buffer prepared = base.asXa(TxRecord.Kind.PREPARED, XID).withIndex(9).encode();
        int trailer = 1 + XID.encodedBytes();
        assertEquals(commit.length() + trailer, prepared.length());
        assertEquals(commit.slice(8, commit.length()), prepared.slice(8, commit.length()),
                "index to acks as in a COMMIT record");
        assertEquals(TxRecord.Kind.PREPARED.code(), prepared.getByte(commit.length()));
        assertEquals(5, prepared.getInt(commit.length() + 1), "the xid's formatId");
        TxRecord r = TxRecord.decode(prepared, 0).record();
        assertEquals(TxRecord.Kind.PREPARED, r.kind());
        assertEquals(XID, r.xid());
        assertEquals(base.acks(), r.acks());
        assertEquals(base.batches().get(0).batch(), r.batches().get(0).batch());
    }

    @Test
    void aRecordWithoutTrailerIsACommitAsBeforeXa() {
        TxRecord r = TxRecord.decode(TxJournalTest.record(1).withIndex(1).encode(), 0).record();
        assertEquals(TxRecord.Kind.COMMIT, r.kind());
        assertNull(r.xid());
        assertThrows(IllegalArgumentException.class, () -> new TxRecord(0, 1, 1, List.of(), List.of(),
                TxRecord.Kind.PREPARED, null));
    }

    @Test
    void outcomeRecordsCarryTheXidOnly() {
        for (TxRecord.Kind kind : List.of(TxRecord.Kind.COMMITTED, TxRecord.Kind.ROLLED_BACK,
                TxRecord.Kind.HEURISTIC_COMMITTED, TxRecord.Kind.HEURISTIC_ROLLED_BACK, TxRecord.Kind.FORGOTTEN)) {
            Buffer b = TxRecord.outcome(kind, XID).withIndex(3).encode();
            assertEquals(36 + 1 + XID.encodedBytes(), b.length(), kind + ": no ids, no counts beyond zero");
            TxRecord r = TxRecord.decode(b, 0).record();
            assertEquals(kind, r.kind());
            assertEquals(XID, r.xid());
            assertEquals(3, r.index());
        }
    }

    @Test
    void aTornOrCorruptXaRecordIsNotARecord() {
        Buffer b = prepared(2).withIndex(1).encode();
        for (int n = 0; n < b.length(); n++) {
            assertNull(TxRecord.decode(b.slice(0, n), 0), "cut at " + n);
        }
        for (int i = 8; i < b.length(); i += 5) {
            Buffer copy = b.copy();
            copy.setByte(i, (byte) (copy.getByte(i) ^ 0x01));
            assertNull(TxRecord.decode(copy, 0), "bit flipped at " + i);
        }
        // A kind this broker does not know, or 0 in a trailer, with a matching CRC: not a record either.
        for (byte kind : new byte[]{0, 99}) {
            Buffer odd = b.copy();
            int trailerAt = b.length() - 1 - XID.encodedBytes();
            odd.setByte(trailerAt, kind);
            odd.setInt(4, crc(odd));
            assertNull(TxRecord.decode(odd, 0), "kind " + kind);
        }
        Buffer cutXid = b.copy(); // a trailer whose xid is cut short, CRC fixed up
        Buffer shorter = cutXid.getBuffer(0, cutXid.length() - 1);
        shorter.setInt(0, shorter.length() - 4);
        shorter.setInt(4, crc(shorter));
        assertNull(TxRecord.decode(shorter, 0));
    }

    @Test
    void theJournalEndsAtATornPreparedRecordAndKeepsTheOnesBefore(@TempDir Path dir) throws IOException {
        try (TxJournal j = TxJournal.open(dir, 1 << 20, 1)) {
            j.append(TxJournalTest.record(0));
            j.append(prepared(1));
            j.append(TxRecord.outcome(TxRecord.Kind.COMMITTED, XID));
            j.force();
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(TxJournal.SUFFIX)).findFirst().orElseThrow();
        }
        long whole = Files.size(file);
        Buffer torn = prepared(2).withIndex(4).encode();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(torn.getBytes(0, torn.length() - 3)));
        }
        try (TxJournal j = TxJournal.open(dir, 1 << 20, 1)) {
            assertEquals(List.of(TxRecord.Kind.COMMIT, TxRecord.Kind.PREPARED, TxRecord.Kind.COMMITTED),
                    j.records().stream().map(TxRecord::kind).toList());
            assertEquals(whole, Files.size(file));
            assertEquals(4, j.nextIndex());
        }
    }

    private static int crc(Buffer record) {
        CRC32C crc = new CRC32C();
        crc.update(record.getBytes(8, record.length()));
        return (int) crc.getValue();
    }
}
