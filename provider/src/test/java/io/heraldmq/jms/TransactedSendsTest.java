package io.heraldmq.jms;

import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A transaction's sends become one sound batch per target, split so no batch outgrows the broker's limit. */
class TransactedSendsTest {
    private static final HeraldQueue ORDERS = new HeraldQueue("orders");
    private static final HeraldTopic PRICES = new HeraldTopic("prices");

    private static Buffer message(int bytes) {
        return Buffer.buffer(new byte[bytes]);
    }

    @Test
    void oneBatchPerTargetInSendOrder() {
        TransactedSends sends = new TransactedSends(1 << 20);
        sends.add(ORDERS, -1, true, 1, null, message(10));
        sends.add(PRICES, -1, false, 2, null, message(10));
        sends.add(ORDERS, -1, true, 3, null, message(20));
        sends.add(ORDERS, 2, true, 4, null, message(30));
        sends.add(ORDERS, -1, true, 5, "group-a", message(40));
        List<Produce> produces = sends.drain().produces();
        assertEquals(4, produces.size());
        Produce first = produces.get(0);
        assertEquals("orders", first.destination());
        assertTrue(first.ackRequested());
        assertNull(RecordBatch.check(first.batch()));
        assertEquals(2, RecordBatch.recordCount(first.batch()));
        assertTrue(RecordBatch.isPersistent(first.batch()));
        assertEquals("prices", produces.get(1).destination());
        assertFalse(RecordBatch.isPersistent(produces.get(1).batch()));
        assertEquals(2, produces.get(2).partition());
        List<String> keys = new ArrayList<>();
        RecordBatch.forEachRecord(produces.get(3).batch(), (o, r) -> keys.add(RecordBatch.recordKey(r)));
        assertEquals(List.of("group-a"), keys, "a record with another key gets its own batch");
        assertTrue(sends.drain().produces().isEmpty(), "drain empties the transaction");
    }

    @Test
    void sendOrderHoldsAcrossPersistenceAndKeysToOneDestination() {
        TransactedSends sends = new TransactedSends(1 << 20);
        sends.add(ORDERS, -1, true, 1, null, message(10));
        sends.add(ORDERS, -1, false, 2, null, message(10));
        sends.add(ORDERS, -1, true, 3, null, message(10));
        sends.add(ORDERS, -1, true, 4, "k", message(10));
        sends.add(ORDERS, -1, true, 5, null, message(10));
        sends.add(ORDERS, -1, true, 6, null, message(10));
        List<Long> timestamps = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Produce p : sends.drain().produces()) {
            sizes.add(RecordBatch.recordCount(p.batch()));
            RecordBatch.forEachRecord(p.batch(), (o, r) -> timestamps.add(RecordBatch.recordTimestamp(r)));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), timestamps, "stored in send order");
        assertEquals(List.of(1, 1, 1, 1, 2), sizes, "a new batch at each change of persistence or key");
    }

    @Test
    void everyBatchCarriesTheTransactionIdentityAndEachCommitTheNextSequence() {
        TransactedSends sends = new TransactedSends(1 << 20);
        sends.add(ORDERS, -1, true, 1, null, message(10));
        sends.add(PRICES, -1, true, 2, null, message(10));
        TransactedSends.Transaction first = sends.drain();
        assertTrue(first.producerId() >= 0);
        for (Produce p : first.produces()) {
            assertNull(RecordBatch.check(p.batch()), "the identity is written before the CRC");
            assertEquals(first.producerId(), RecordBatch.producerId(p.batch()));
            assertEquals(first.sequence(), RecordBatch.baseSequence(p.batch()));
        }
        sends.add(ORDERS, -1, true, 3, null, message(10));
        TransactedSends.Transaction second = sends.drain();
        assertEquals(first.producerId(), second.producerId());
        assertEquals(first.sequence() + 1, second.sequence());
        assertEquals(second.sequence(), RecordBatch.baseSequence(second.produces().get(0).batch()));
    }

    @Test
    void batchesAreSplitAtTheLimit() {
        TransactedSends sends = new TransactedSends(10_000);
        for (int i = 0; i < 30; i++) {
            sends.add(ORDERS, -1, true, i, null, message(1000));
        }
        List<Produce> produces = sends.drain().produces();
        assertTrue(produces.size() > 1);
        int records = 0;
        for (Produce p : produces) {
            assertTrue(p.batch().length() <= 10_000, "batch of " + p.batch().length());
            assertNull(RecordBatch.check(p.batch()));
            records += RecordBatch.recordCount(p.batch());
        }
        assertEquals(30, records);
    }

    @Test
    void clearDiscardsEverything() {
        TransactedSends sends = new TransactedSends(1 << 20);
        sends.add(ORDERS, -1, true, 1, null, message(10));
        sends.clear();
        assertTrue(sends.drain().produces().isEmpty());
    }
}
