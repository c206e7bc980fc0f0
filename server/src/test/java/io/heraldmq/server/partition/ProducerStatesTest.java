package io.heraldmq.server.partition;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.LogConfig;
import io.heraldmq.server.log.PartitionLog;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerStatesTest {
    private static Buffer idempotent(long producerId, int sequence, int records) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64);
        for (int i = 0; i < records; i++) {
            b.add(1000 + i, null, Buffer.buffer("m" + i));
        }
        return b.idempotent(producerId, sequence).build();
    }

    private static Buffer stored(Buffer batch, long baseOffset) {
        Buffer copy = batch.copy();
        RecordBatch.setBaseOffset(copy, baseOffset);
        return copy;
    }

    @Test
    void aBatchSentAgainIsADuplicateAnsweredWithTheStoredOffset() {
        ProducerStates states = new ProducerStates();
        Buffer first = idempotent(7, 0, 2);
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(first));
        states.appended(stored(first, 40));
        assertEquals(40, states.duplicateOf(idempotent(7, 0, 2)));
        assertEquals(41, states.duplicateLastOffset(first));
        // the producer's next batch is new, and so is one that skips sequences (its others went elsewhere)
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(idempotent(7, 1, 1)));
        states.appended(stored(idempotent(7, 5, 1), 50));
        assertEquals(50, states.duplicateOf(idempotent(7, 5, 1)));
        // an older one is a duplicate answered with the best offset known: the newest batch's
        assertEquals(50, states.duplicateOf(idempotent(7, 0, 2)));
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(idempotent(7, 6, 1)));
        // another producer with the same sequence is not a duplicate
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(idempotent(8, 5, 1)));
    }

    @Test
    void transactionBatchesAreNeitherRecordedNorDuplicatesAndNeverLookLikeOneAnother() {
        ProducerStates states = new ProducerStates();
        states.appended(stored(txBuild(7, 0), 3));
        assertEquals(0, states.size());
        states.appended(stored(idempotent(7, 0, 1), 4));
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(txBuild(7, 0)));
        // and transaction recovery does not count the idempotent batch as the transaction's
        Buffer both = Buffer.buffer().appendBuffer(idempotent(7, 0, 1)).appendBuffer(txBuild(7, 0));
        assertFalse(RecordBatch.belongsTo(both, 0, 7, 0));
        assertTrue(RecordBatch.belongsTo(both, RecordBatch.sizeAt(both, 0), 7, 0));
    }

    @Test
    void theLeastRecentlyUsedProducerIsForgottenBeyondTheBound() {
        ProducerStates states = new ProducerStates(3);
        states.appended(stored(idempotent(1, 0, 1), 0));
        states.appended(stored(idempotent(2, 0, 1), 1));
        states.appended(stored(idempotent(3, 0, 1), 2));
        // producer 1 is used again (a duplicate check counts), so producer 2 is now the least recently used
        assertEquals(0, states.duplicateOf(idempotent(1, 0, 1)));
        states.appended(stored(idempotent(4, 0, 1), 3));
        assertEquals(3, states.size());
        assertEquals(ProducerStates.NOT_DUPLICATE, states.duplicateOf(idempotent(2, 0, 1)), "forgotten");
        assertEquals(0, states.duplicateOf(idempotent(1, 0, 1)));
        assertEquals(2, states.duplicateOf(idempotent(3, 0, 1)));
        assertEquals(3, states.duplicateOf(idempotent(4, 0, 1)));
    }

    @Test
    void aFollowerCopyingAnOlderBatchDoesNotMoveTheProducerBack() {
        ProducerStates states = new ProducerStates();
        states.appended(stored(idempotent(9, 4, 1), 10));
        states.appended(stored(idempotent(9, 2, 1), 11));
        assertEquals(10, states.duplicateOf(idempotent(9, 4, 1)));
    }

    @Test
    void rebuiltFromTheTailOfALog(@TempDir Path dir) throws Exception {
        LogConfig config = new LogConfig(4096, LogConfig.defaults().segmentMs(), 256, false);
        try (PartitionLog log = PartitionLog.open(dir, config, Clock.systemUTC())) {
            for (int i = 0; i < 200; i++) {
                log.append(idempotent(100 + i % 10, i / 10, 2), 0);
                log.append(txBuild(5000, i), 0);
            }
            long end = log.logEndOffset();
            ProducerStates all = ProducerStates.rebuild(at -> log.read(at, 1 << 20), log.logStartOffset(), end,
                    ProducerStates.DEFAULT_MAX_PRODUCERS);
            assertEquals(10, all.size());
            // producer 109's last batch (sequence 19) was the 200th idempotent one: offsets 3 * 199 and on
            assertEquals(3L * 199, all.duplicateOf(idempotent(109, 19, 2)));
            assertEquals(ProducerStates.NOT_DUPLICATE, all.duplicateOf(idempotent(109, 20, 2)));

            // a tail scan of at least 1000 bytes starts at an index entry not after the point 1000 bytes back
            long from = log.offsetBytesBeforeEnd(1000);
            assertTrue(from > log.logStartOffset() && from < end, "from " + from);
            ProducerStates tail = ProducerStates.rebuild(at -> log.read(at, 1 << 20), from, end,
                    ProducerStates.DEFAULT_MAX_PRODUCERS);
            assertEquals(3L * 199, tail.duplicateOf(idempotent(109, 19, 2)));
            assertEquals(log.logStartOffset(), log.offsetBytesBeforeEnd(Long.MAX_VALUE / 2));

            // after a truncation the rebuild no longer knows what was cut
            log.truncateTo(3L * 199);
            ProducerStates cut = ProducerStates.rebuild(at -> log.read(at, 1 << 20), log.logStartOffset(),
                    log.logEndOffset(), ProducerStates.DEFAULT_MAX_PRODUCERS);
            assertEquals(ProducerStates.NOT_DUPLICATE, cut.duplicateOf(idempotent(109, 19, 2)));
            assertEquals(3L * 198, cut.duplicateOf(idempotent(108, 19, 2)));
        }
    }

    private static Buffer txBuild(long producerId, int sequence) {
        RecordBatch.Builder b = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 64);
        b.add(1, null, Buffer.buffer("x"));
        return b.transaction(producerId, sequence).build();
    }
}
