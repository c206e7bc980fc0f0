package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBatchTest {

    private static Buffer message(String text) {
        WireMessage m = new WireMessage();
        m.bodyType = WireMessage.BODY_TEXT;
        m.body = Buffer.buffer(text);
        return m.encode();
    }

    /** Three records: keyed, unkeyed, keyed with a non-ASCII key. */
    private static Buffer threeRecords() {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256);
        b.add(1_000, "group-a", message("one"));
        b.add(3_000, null, message("two"));
        b.add(2_000, "grüppe", message("three"));
        return b.build();
    }

    @Test
    void builderOutputIsValid() {
        Buffer batch = threeRecords();
        assertNull(RecordBatch.check(batch));
        RecordBatch.validate(batch, 1 << 20);
        assertEquals(batch.length(), RecordBatch.sizeAt(batch, 0));
        assertEquals(3, RecordBatch.recordCount(batch));
        assertEquals(0, RecordBatch.baseOffset(batch));
        assertEquals(2, RecordBatch.lastOffset(batch));
        assertEquals(3, RecordBatch.nextOffset(batch));
        assertEquals(-1, RecordBatch.leaderEpoch(batch));
        assertEquals(1_000, RecordBatch.firstTimestamp(batch));
        assertEquals(3_000, RecordBatch.maxTimestamp(batch));
        assertTrue(RecordBatch.isPersistent(batch));
        assertEquals(RecordBatch.ATTR_PERSISTENT, RecordBatch.attributes(batch));
        assertEquals(RecordBatch.MAGIC, batch.getByte(RecordBatch.MAGIC_POS));
        assertEquals(-1L, batch.getLong(RecordBatch.PRODUCER_ID));
        assertEquals(-1, batch.getInt(RecordBatch.BASE_SEQUENCE));
        assertEquals(RecordBatch.computeCrc(batch), RecordBatch.storedCrc(batch));
    }

    @Test
    void nonPersistentBatch() {
        RecordBatch.Builder b = new RecordBatch.Builder((short) 0, 0);
        int size = b.add(5, null, message("x"));
        assertEquals(b.bytes() - RecordBatch.HEADER_BYTES, size);
        assertEquals(1, b.count());
        Buffer batch = b.build();
        assertFalse(RecordBatch.isPersistent(batch));
        assertNull(RecordBatch.check(batch));
    }

    @Test
    void emptyBuilderRefusesToBuild() {
        assertThrows(IllegalStateException.class, () -> new RecordBatch.Builder((short) 0, 0).build());
    }

    @Test
    void forEachRecordGivesOffsetsKeysTimestampsAndMessages() {
        Buffer batch = threeRecords();
        RecordBatch.setBaseOffset(batch, 1_000_000L);
        List<Long> offsets = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (offset, record) -> {
            offsets.add(offset);
            keys.add(RecordBatch.recordKey(record));
            timestamps.add(RecordBatch.recordTimestamp(record));
            assertEquals(record.length() - 4, record.getInt(0));
            bodies.add(WireMessage.decode(RecordBatch.message(record)).body.toString());
        });
        assertEquals(List.of(1_000_000L, 1_000_001L, 1_000_002L), offsets);
        assertEquals(java.util.Arrays.asList("group-a", null, "grüppe"), keys);
        assertEquals(List.of(1_000L, 3_000L, 2_000L), timestamps);
        assertEquals(List.of("one", "two", "three"), bodies);
        assertEquals(1_000_002L, RecordBatch.lastOffset(batch));
        assertEquals(1_000_003L, RecordBatch.nextOffset(batch));
    }

    @Test
    void messageStartSkipsTheKey() {
        Buffer batch = threeRecords();
        List<Integer> starts = new ArrayList<>();
        RecordBatch.forEachRecord(batch, (o, r) -> starts.add(RecordBatch.messageStart(r)));
        assertEquals(List.of(RecordBatch.RECORD_HEADER_BYTES + "group-a".length(), RecordBatch.RECORD_HEADER_BYTES,
                RecordBatch.RECORD_HEADER_BYTES + "grüppe".getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                starts);
    }

    @Test
    void baseOffsetAndLeaderEpochLieOutsideTheCrc() {
        Buffer batch = threeRecords();
        int crc = RecordBatch.storedCrc(batch);
        RecordBatch.setBaseOffset(batch, Long.MAX_VALUE / 2);
        RecordBatch.setLeaderEpoch(batch, 17);
        assertNull(RecordBatch.check(batch));
        RecordBatch.validate(batch, 1 << 20);
        assertEquals(crc, RecordBatch.storedCrc(batch));
        assertEquals(crc, RecordBatch.computeCrc(batch));
        assertEquals(Long.MAX_VALUE / 2, RecordBatch.baseOffset(batch));
        assertEquals(17, RecordBatch.leaderEpoch(batch));
    }

    @Test
    void aFlippedByteAnywhereAfterOffset21FailsTheCrc() {
        Buffer batch = threeRecords();
        for (int pos = RecordBatch.ATTRIBUTES; pos < batch.length(); pos++) {
            Buffer copy = batch.copy();
            copy.setByte(pos, (byte) (copy.getByte(pos) ^ 0x01));
            assertEquals("CRC mismatch", RecordBatch.check(copy), "flip at " + pos);
            int at = pos;
            ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatch.validate(copy, 1 << 20),
                    () -> "flip at " + at);
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        }
    }

    @Test
    void aFlippedCrcByteFailsTheCrc() {
        Buffer batch = threeRecords();
        for (int pos = RecordBatch.CRC; pos < RecordBatch.ATTRIBUTES; pos++) {
            Buffer copy = batch.copy();
            copy.setByte(pos, (byte) (copy.getByte(pos) ^ 0x80));
            assertEquals("CRC mismatch", RecordBatch.check(copy));
        }
    }

    @Test
    void crcIsComputedOverASliceCorrectly() {
        // A batch inside a larger buffer (a PRODUCE body, a segment read) is checked through a slice.
        Buffer batch = threeRecords();
        Buffer outer = Buffer.buffer().appendBytes(new byte[37]).appendBuffer(batch).appendBytes(new byte[11]);
        Buffer slice = outer.slice(37, 37 + batch.length());
        assertNull(RecordBatch.check(slice));
        assertEquals(RecordBatch.storedCrc(batch), RecordBatch.computeCrc(slice));
    }

    @Test
    void unknownMagic() {
        Buffer batch = threeRecords();
        batch.setByte(RecordBatch.MAGIC_POS, (byte) 2);
        assertEquals("unknown magic 2", RecordBatch.check(batch));
    }

    @Test
    void oversizedRecordIsMessageTooLargeNamingTheLimit() {
        RecordBatch.Builder b = new RecordBatch.Builder((short) 0, 0);
        b.add(1, null, message("small"));
        int bigSize = b.add(1, "k", message("x".repeat(10_000)));
        Buffer batch = b.build();
        RecordBatch.validate(batch, bigSize);
        ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatch.validate(batch, bigSize - 1));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains(String.valueOf(bigSize - 1)), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(bigSize)), e.getMessage());
        // check() is only about structure.
        assertNull(RecordBatch.check(batch));
    }

    @Test
    void truncatedBatchAtEveryLength() {
        Buffer batch = threeRecords();
        for (int cut = 0; cut < batch.length(); cut++) {
            Buffer truncated = batch.getBuffer(0, cut);
            assertNotNull(RecordBatch.check(truncated), "cut at " + cut);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> RecordBatch.validate(truncated, 1 << 20));
            assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
        }
        assertTrue(RecordBatch.check(batch.getBuffer(0, 10)).contains("only 10 bytes"));
    }

    @Test
    void trailingBytesAfterTheBatch() {
        Buffer batch = threeRecords().appendByte((byte) 0);
        assertNotNull(RecordBatch.check(batch));
    }

    /** Rewrites the length field and the CRC so that only the structural checks can catch the change. */
    private static Buffer reseal(Buffer batch) {
        batch.setInt(RecordBatch.BATCH_LENGTH, batch.length() - RecordBatch.LOG_OVERHEAD);
        batch.setInt(RecordBatch.CRC, RecordBatch.computeCrc(batch));
        return batch;
    }

    @Test
    void structuralChecksBehindAGoodCrc() {
        Buffer good = threeRecords();
        int first = RecordBatch.HEADER_BYTES;

        Buffer countMismatch = good.copy();
        countMismatch.setInt(RecordBatch.RECORD_COUNT, 4);
        assertTrue(RecordBatch.check(reseal(countMismatch)).contains("record count"));

        Buffer zeroRecords = good.copy();
        zeroRecords.setInt(RecordBatch.RECORD_COUNT, 0).setInt(RecordBatch.LAST_OFFSET_DELTA, -1);
        assertTrue(RecordBatch.check(reseal(zeroRecords)).contains("record count 0"));

        Buffer moreRecordsThanBytes = good.copy();
        moreRecordsThanBytes.setInt(RecordBatch.RECORD_COUNT, 4).setInt(RecordBatch.LAST_OFFSET_DELTA, 3);
        assertTrue(RecordBatch.check(reseal(moreRecordsThanBytes)).contains("record 3 truncated"));

        Buffer badDelta = good.copy();
        badDelta.setInt(first + 4, 1);
        assertTrue(RecordBatch.check(reseal(badDelta)).contains("offset delta"));

        Buffer shortRecord = good.copy();
        shortRecord.setInt(first, 15);
        assertTrue(RecordBatch.check(reseal(shortRecord)).contains("bad length 15"));

        Buffer longRecord = good.copy();
        longRecord.setInt(first, Integer.MAX_VALUE);
        assertTrue(RecordBatch.check(reseal(longRecord)).contains("bad length"));

        Buffer badKey = good.copy();
        badKey.setInt(first + 16, -2);
        assertTrue(RecordBatch.check(reseal(badKey)).contains("bad key length -2"));

        Buffer keyPastRecord = good.copy();
        keyPastRecord.setInt(first + 16, good.getInt(first) - 15);
        assertTrue(RecordBatch.check(reseal(keyPastRecord)).contains("bad key length"));

        Buffer extra = reseal(good.copy().appendBytes(new byte[3]));
        assertTrue(RecordBatch.check(extra).contains("3 bytes after the last record"));
        assertThrows(ProtocolException.class, () -> RecordBatch.validate(extra, 1 << 20));
    }

    @Test
    void lengthFieldDisagreeingWithTheBuffer() {
        Buffer batch = threeRecords();
        batch.setInt(RecordBatch.BATCH_LENGTH, Integer.MAX_VALUE);
        assertTrue(RecordBatch.check(batch).startsWith("length field says"));
        batch.setInt(RecordBatch.BATCH_LENGTH, -12);
        assertNotNull(RecordBatch.check(batch));
    }

    @Test
    void randomCorruptionBehindAGoodCrcNeverThrows() {
        Buffer good = threeRecords();
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Buffer copy = good.copy();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int pos = RecordBatch.ATTRIBUTES + random.nextInt(copy.length() - RecordBatch.ATTRIBUTES);
                copy.setByte(pos, (byte) random.nextInt(256));
            }
            reseal(copy);
            String problem = RecordBatch.check(copy);
            if (problem == null) {
                // Whatever passes the check must be walkable.
                int[] n = {0};
                RecordBatch.forEachRecord(copy, (o, r) -> {
                    RecordBatch.recordKey(r);
                    RecordBatch.message(r);
                    n[0]++;
                });
                assertEquals(RecordBatch.recordCount(copy), n[0]);
            } else {
                assertThrows(ProtocolException.class, () -> RecordBatch.validate(copy, 1 << 20));
            }
        }
    }
}
