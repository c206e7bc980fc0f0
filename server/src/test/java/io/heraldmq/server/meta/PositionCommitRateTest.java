package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Measurement, not an assertion on speed: position rows per second that flushPositions writes in batches of
 * 1000 distinct keys (100 subscriptions x 10 partitions, each with two acked ranges), on the machine at hand.
 */
class PositionCommitRateTest {
    @TempDir
    Path dataDir;

    @Test
    void measureBatchedCommitRate() {
        Vertx vertx = Vertx.vertx();
        try {
            // Timer and size triggers out of the way: each round is exactly one explicit 1000-row batch.
            MetaStore store = await(MetaStore.open(vertx, dataDir, new MetaStoreOptions(3_600_000, 1_000_000)));
            int warmup = 50;
            int rounds = 300;
            long start = 0;
            long[] batchNanos = new long[rounds];
            for (int round = 0; round < warmup + rounds; round++) {
                if (round == warmup) {
                    start = System.nanoTime();
                }
                long batchStart = System.nanoTime();
                long base = round * 1_000L;
                for (int sub = 0; sub < 100; sub++) {
                    for (int partition = 0; partition < 10; partition++) {
                        store.commitPosition("subscription-" + sub, partition,
                                new Position(base, new long[]{base + 2, base + 5, base + 9, base + 10}));
                    }
                }
                await(store.flushPositions());
                if (round >= warmup) {
                    batchNanos[round - warmup] = System.nanoTime() - batchStart;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = rounds * 1_000L;
            // Median as well as mean: on a shared, loaded machine the mean mostly measures the neighbours.
            java.util.Arrays.sort(batchNanos);
            double medianMs = batchNanos[rounds / 2] / 1e6;
            System.out.printf("MetaStore position commits: %d rows in %d batches of 1000 in %.3f s = %,.0f rows/s"
                    + " (mean %.2f ms per batch; median %.2f ms = %,.0f rows/s; best %.2f ms; cores %d)%n",
                    rows, rounds, seconds, rows / seconds, seconds * 1000 / rounds, medianMs, 1000 / medianMs * 1000,
                    batchNanos[0] / 1e6, Runtime.getRuntime().availableProcessors());
            assertEquals((warmup + rounds) * 1_000L, store.positionCommits());
            await(store.close());
        } finally {
            await(vertx.close());
        }
    }
}
