package io.heraldmq.server.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.heraldmq.server.log.TestBatches.batch;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {
    @TempDir
    Path dir;

    final Vertx vertx = Vertx.vertx();
    final ExecutorService worker = Executors.newSingleThreadExecutor();
    final AtomicInteger flushes = new AtomicInteger();
    final CountDownLatch firstFlushStarted = new CountDownLatch(1);
    final CountDownLatch releaseFirstFlush = new CountDownLatch(1);

    /** Counts flush tasks and holds the first one until released, so appends pile up behind it. */
    final java.util.concurrent.Executor counting = task -> worker.execute(() -> {
        if (flushes.incrementAndGet() == 1) {
            firstFlushStarted.countDown();
            try {
                releaseFirstFlush.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        task.run();
    });

    @AfterEach
    void tearDown() throws Exception {
        releaseFirstFlush.countDown();
        worker.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void waitersArrivingDuringAFlushShareTheNextOne() throws Exception {
        PartitionLog log = PartitionLog.open(dir, LogConfig.defaults(), Clock.systemUTC());
        Context owner = vertx.getOrCreateContext();
        GroupCommit commit = new GroupCommit(owner, log, FlushPolicy.ALWAYS, 0, counting);
        List<Future<Void>> futures = new ArrayList<>();
        AtomicInteger completed = new AtomicInteger();

        onContext(owner, () -> {
            long base = log.append(batch(1, 100, 1), 0);
            futures.add(commit.awaitDurable(base));
        });
        assertTrue(firstFlushStarted.await(10, TimeUnit.SECONDS));
        // the first flush is running (held); these all queue behind it
        onContext(owner, () -> {
            for (int i = 0; i < 50; i++) {
                long base = log.append(batch(2, 100, 1), 0);
                futures.add(commit.awaitDurable(base + 1));
            }
            for (Future<Void> f : futures) {
                f.onComplete(r -> {
                    if (r.succeeded()) {
                        completed.incrementAndGet();
                    }
                });
            }
        });
        releaseFirstFlush.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> completed.get() == 51);
        assertTrue(flushes.get() <= 2, "flushes: " + flushes.get());
        assertEquals(101, log.durableOffset());

        // already durable: completes at once, no flush
        int before = flushes.get();
        CompletableFuture<Boolean> immediate = new CompletableFuture<>();
        onContext(owner, () -> immediate.complete(commit.awaitDurable(100).succeeded()));
        assertTrue(immediate.get(10, TimeUnit.SECONDS));
        assertEquals(before, flushes.get());

        onContext(owner, commit::close);
        onContext(owner, () -> {
            try {
                log.close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * A synchronous producer: each send waits for its fsync before the next. Whether a send lands in the flusher's idle
     * wait or starts a new flush task depends on timing; either way every send completes once durable, and the flush
     * thread is given back afterwards.
     */
    @Test
    void backToBackSendsCompleteAndTheIdleFlusherGivesItsThreadBack() throws Exception {
        PartitionLog log = PartitionLog.open(dir, LogConfig.defaults(), Clock.systemUTC());
        Context owner = vertx.getOrCreateContext();
        releaseFirstFlush.countDown();
        AtomicInteger running = new AtomicInteger();
        java.util.concurrent.Executor tracked = task -> worker.execute(() -> {
            running.incrementAndGet();
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
        GroupCommit commit = new GroupCommit(owner, log, FlushPolicy.ALWAYS, 0, tracked);
        for (int i = 0; i < 200; i++) {
            CompletableFuture<Long> durable = new CompletableFuture<>();
            onContext(owner, () -> {
                long base = log.append(batch(1, 100, 1), 0);
                commit.awaitDurable(base).onComplete(r -> {
                    if (r.succeeded()) {
                        durable.complete(base);
                    } else {
                        durable.completeExceptionally(r.cause());
                    }
                });
            });
            long base = durable.get(10, TimeUnit.SECONDS);
            assertTrue(log.durableOffset() > base, "completed before its fsync: " + base);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() == 0);
        assertEquals(200, log.durableOffset());

        onContext(owner, commit::close);
        CompletableFuture<Boolean> afterClose = new CompletableFuture<>();
        onContext(owner, () -> {
            long base = log.append(batch(1, 100, 1), 0);
            afterClose.complete(commit.awaitDurable(base).failed());
        });
        assertTrue(afterClose.get(10, TimeUnit.SECONDS));
        onContext(owner, log::close);
    }

    @Test
    void intervalCompletesAtOnceAndFlushesInTheBackground() throws Exception {
        PartitionLog log = PartitionLog.open(dir, LogConfig.defaults(), Clock.systemUTC());
        Context owner = vertx.getOrCreateContext();
        releaseFirstFlush.countDown();
        GroupCommit commit = new GroupCommit(owner, log, FlushPolicy.INTERVAL, 10, counting);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        onContext(owner, () -> {
            try {
                long base = log.append(batch(1, 10, 1), 0);
                done.complete(commit.awaitDurable(base).succeeded());
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        assertTrue(done.get(10, TimeUnit.SECONDS));
        await().atMost(10, TimeUnit.SECONDS).until(() -> log.durableOffset() == 1);
        onContext(owner, commit::close);
        log.close();
    }

    interface IoRunnable {
        void run() throws Exception;
    }

    private static void onContext(Context context, IoRunnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }
}
