package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static io.heraldmq.server.meta.MetaTestSupport.rows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionBatchingTest {
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dataDir;
    private Vertx vertx;
    private MetaStore store;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (store != null) {
            await(store.close());
        }
        await(vertx.close());
    }

    private MetaStore open(long intervalMs, int batchSize) {
        store = MetaTestSupport.await(MetaStore.open(vertx, dataDir, new MetaStoreOptions(intervalMs, batchSize)));
        return store;
    }

    @Test
    void updatesOfOneKeyCollapseIntoOneRowAndTheLatestWins() {
        open(HOUR, 1_000_000);
        for (int i = 1; i <= 10_000; i++) {
            store.commitPosition("s", 0, new Position(i, new long[]{i + 2, i + 3}));
        }
        store.commitPosition("s", 1, new Position(5));
        await(store.flushPositions());
        assertEquals(2, store.positionCommits(), "10,001 updates, two keys, two rows written");
        assertEquals(Map.of(0, new Position(10_000, new long[]{10_002, 10_003}), 1, new Position(5)),
                await(store.loadPositions("s")));
    }

    @Test
    void batchSizeTriggersAWrite() {
        open(HOUR, 100);
        for (int i = 0; i < 99; i++) {
            store.commitPosition("s", i, new Position(i));
        }
        // rows() queues behind any write commitPosition queued, so 0 here means none was started.
        assertEquals(0, rows(store, "SELECT COUNT(*) FROM positions"));
        store.commitPosition("s", 0, new Position(1000)); // the 100th update, though only 99 keys
        await().atMost(Duration.ofSeconds(10)).until(() -> store.positionCommits() == 99);
        assertEquals(99, rows(store, "SELECT COUNT(*) FROM positions"));
        assertEquals(new Position(1000), await(store.loadPositions("s")).get(0));
    }

    @Test
    void intervalTriggersAWrite() {
        open(200, 1_000_000);
        long start = System.nanoTime();
        store.commitPosition("s", 3, new Position(42, new long[]{50, 60}));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.positionCommits() == 1);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 150, "written by the timer, not at once: " + elapsedMs + " ms");
        assertEquals(1, rows(store, "SELECT COUNT(*) FROM positions"));

        // The timer re-arms for the next update after a write.
        store.commitPosition("s", 3, new Position(43, new long[]{50, 60}));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.positionCommits() == 2);
    }

    @Test
    void readsSeeBufferedPositionsAndLaterBatchesWin() {
        open(HOUR, 1_000_000);
        store.commitPosition("s", 0, new Position(1));
        await(store.flushPositions());
        store.commitPosition("s", 0, new Position(2, new long[]{4, 5}));
        assertEquals(Map.of(0, new Position(2, new long[]{4, 5})), await(store.loadPositions("s")),
                "read-your-writes before the batch is written");
        await(store.flushPositions());
        store.commitPosition("s", 0, new Position(3));
        await(store.flushPositions());
        assertEquals(Map.of(0, new Position(3)), await(store.loadPositions("s")));
    }

    @Test
    void closeWritesWhatIsBuffered() {
        open(HOUR, 1_000_000);
        for (int p = 0; p < 50; p++) {
            store.commitPosition("s", p, new Position(p * 10L));
        }
        assertEquals(0, store.positionCommits());
        await(store.close());
        assertEquals(50, store.positionCommits());
        store = null;

        MetaStore reopened = open(HOUR, 1_000_000);
        Map<Integer, Position> back = await(reopened.loadPositions("s"));
        assertEquals(50, back.size());
        assertEquals(new Position(490), back.get(49));
    }

    @Test
    void commitsFromManyThreadsAllLand() throws Exception {
        open(50, 500);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int partition = t;
            threads[t] = new Thread(() -> {
                for (int i = 1; i <= 5_000; i++) {
                    store.commitPosition("s", partition, new Position(i));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        await(store.flushPositions());
        Map<Integer, Position> back = await(store.loadPositions("s"));
        for (int t = 0; t < threads.length; t++) {
            assertEquals(new Position(5_000), back.get(t), "partition " + t);
        }
    }
}
