package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata a broker holds in its log but has not applied survives its crash: it is found again at open, from the
 * checkpoint on, and applied once committed.
 */
class UnappliedMetadataTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private ExecutorService flush;
    private Partition partition;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        flush = Executors.newFixedThreadPool(2);
        openPartition();
    }

    private void openPartition() throws Exception {
        BrokerConfig config = BrokerConfig.defaults().withDataDir(dir);
        partition = new Partition("t", 0, dir.resolve("log"), config, flush, new RetentionPolicy(-1, -1,
                Long.MAX_VALUE), Clock.systemUTC(), List::of);
        join(vertx.deployVerticle(partition));
    }

    @AfterEach
    void close() throws Exception {
        join(vertx.close());
        flush.shutdownNow();
    }

    @Test
    void recordsInTheLogAreFoundAgainAtOpenAndAppliedOnceCommitted() throws Exception {
        append(data(0, 3));
        append(control(3, position("sub-a", 0)));
        append(data(4, 2));
        append(control(6, position("sub-b", 4)));
        assertEquals(7, partition.logEndOffset());

        UnappliedMetadata backlog = onPartition(() -> UnappliedMetadata.recover(partition));
        assertEquals(2, backlog.size());

        List<ControlRecord> applied = new ArrayList<>();
        onPartition(() -> {
            backlog.applyBelow(3, applied::add);
            return Future.succeededFuture();
        });
        assertEquals(List.of(), applied, "nothing at or above the high watermark is applied");
        onPartition(() -> {
            backlog.applyBelow(5, applied::add);
            return Future.succeededFuture();
        });
        assertEquals(List.of("sub-a@0"), describe(applied));
        assertEquals(5, onPartition(() -> Future.succeededFuture(backlog.checkpointCandidate(5))));
        assertEquals(6, onPartition(() -> Future.succeededFuture(backlog.checkpointCandidate(7))),
                "the checkpoint stops at the first record not yet applied");
    }

    @Test
    void theCheckpointLimitsTheScanAndAbsenceMeansTheWholeLog() throws Exception {
        append(control(0, position("sub-a", 0)));
        append(data(1, 5));
        append(control(6, position("sub-a", 3)));

        UnappliedMetadata first = onPartition(() -> UnappliedMetadata.recover(partition));
        assertEquals(2, first.size(), "no checkpoint: the whole log is read");
        List<ControlRecord> applied = new ArrayList<>();
        onPartition(() -> {
            first.applyBelow(6, applied::add);
            return Future.succeededFuture();
        });
        long at = onPartition(() -> Future.succeededFuture(first.checkpointCandidate(6)));
        assertEquals(6, at);
        first.writeCheckpoint(at);
        assertEquals(-1, (long) onPartition(() -> Future.succeededFuture(first.checkpointCandidate(6))),
                "nothing new to write");

        UnappliedMetadata second = onPartition(() -> UnappliedMetadata.recover(partition));
        assertEquals(1, second.size(), "only what lies at or after the checkpoint is read again");
        onPartition(() -> {
            second.applyBelow(7, applied::add);
            return Future.succeededFuture();
        });
        assertEquals(List.of("sub-a@0", "sub-a@3"), describe(applied));

        Files.write(partition.directory().resolve(UnappliedMetadata.CHECKPOINT_FILE), new byte[]{1, 2, 3});
        assertEquals(2, onPartition(() -> UnappliedMetadata.recover(partition)).size(),
                "a corrupt checkpoint reads as absent");
    }

    @Test
    void truncationDropsWhatWasAboveTheCut() throws Exception {
        append(data(0, 2));
        append(control(2, position("sub-a", 1)));
        UnappliedMetadata backlog = onPartition(() -> UnappliedMetadata.recover(partition));
        backlog.collect(control(3, position("sub-a", 2)));
        assertEquals(2, backlog.size());
        backlog.truncated(3);
        assertEquals(1, backlog.size());
        backlog.truncated(2);
        assertEquals(0, backlog.size());
    }

    @Test
    void anEmptyLogHasNothingToApply() throws Exception {
        UnappliedMetadata backlog = onPartition(() -> UnappliedMetadata.recover(partition));
        assertEquals(0, backlog.size());
        assertTrue(onPartition(() -> Future.succeededFuture(backlog.checkpointCandidate(0))) < 0);
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> describe(List<ControlRecord> records) {
        return records.stream().map(r -> r instanceof ControlRecord.PositionChange p
                ? p.subscription() + "@" + p.position().committedOffset() : r.toString()).toList();
    }

    private static ControlRecord.PositionChange position(String sub, long offset) {
        return new ControlRecord.PositionChange(sub, new Position(offset, new long[0]));
    }

    private static Buffer control(long baseOffset, ControlRecord record) {
        Buffer b = ControlRecord.batch(List.of(record));
        RecordBatch.setBaseOffset(b, baseOffset);
        RecordBatch.setLeaderEpoch(b, 1);
        return b;
    }

    private static Buffer data(long baseOffset, int records) {
        RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_PERSISTENT, 256);
        for (int i = 0; i < records; i++) {
            builder.add(System.currentTimeMillis(), null, Buffer.buffer("m" + i));
        }
        Buffer b = builder.build();
        RecordBatch.setBaseOffset(b, baseOffset);
        RecordBatch.setLeaderEpoch(b, 1);
        return b;
    }

    private void append(Buffer batch) throws Exception {
        onPartition(() -> partition.appendReplica(batch));
    }

    private <T> T onPartition(Supplier<Future<T>> task) throws Exception {
        Promise<T> p = Promise.promise();
        partition.run(() -> task.get().onComplete(p));
        return join(p.future());
    }

    private static <T> T join(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
