package io.heraldmq.server.tx;

import io.heraldmq.server.log.OffsetCheckpointFile;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The broker's transaction log: a COMMIT is journaled here ({@link #journal}) before it is applied, and marked
 * {@link #applied} after; {@link #open} finishes at start-up whatever a crash left between the two.
 * <p>
 * Checkpoint: every {@value #CHECKPOINT_INTERVAL_MS} ms, if transactions were applied since the last one, the
 * metadata store's positions are synced (so the acks of every applied transaction are on disk: they were in its
 * buffer before the sync began) and then {@code <data>/tx/checkpoint} records the highest index at and below which
 * everything is applied ({@link OffsetCheckpointFile} layout). Recovery starts after it; journal files wholly at or
 * below it are deleted. A transaction whose application failed stays unapplied, so the checkpoint stops before it
 * until the next start applies it. The records of living XA branches stay unapplied too ({@link XaTransactions}):
 * before each checkpoint, those that have waited long are copied to the journal's end, so that one undecided
 * branch does not keep the whole journal behind it.
 */
public final class TransactionLog {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);
    static final long CHECKPOINT_INTERVAL_MS = 1000;
    public static final long DEFAULT_ROLL_BYTES = 64L << 20;

    private final Vertx vertx;
    private final MetaStore meta;
    private final TxJournalWriter writer;
    private final TxSettlement settlement;
    private final XaTransactions xa;
    private final long timer;
    private long checkpointed;
    private boolean checkpointing;
    private Future<Void> closed;

    private TransactionLog(Vertx vertx, MetaStore meta, TxJournalWriter writer, TxSettlement settlement,
                           long checkpointed, TopicRegistry topics, SubscriptionRegistry subscriptions) {
        this.vertx = vertx;
        this.meta = meta;
        this.writer = writer;
        this.settlement = settlement;
        this.checkpointed = checkpointed;
        this.xa = new XaTransactions(this, topics, subscriptions);
        this.timer = vertx.setPeriodic(CHECKPOINT_INTERVAL_MS, t -> checkpoint());
    }

    /**
     * Opens the journal in {@code <dataDir>/tx}, re-applies the transactions after the checkpoint (see
     * {@link TxRecovery}), holds again what the prepared XA branches consumed, and checkpoints up to the first
     * record that must stay. Call after the destinations and subscription definitions are loaded, before
     * subscriptions open.
     */
    public static Future<TransactionLog> open(Vertx vertx, Path dataDir, long rollBytes, TopicRegistry topics,
                                              MetaStore meta, SubscriptionRegistry subscriptions) {
        Path dir = dataDir.resolve("tx");
        OffsetCheckpointFile checkpointFile = new OffsetCheckpointFile(dir.resolve("checkpoint"));
        return vertx.executeBlocking(() -> {
            Files.createDirectories(dir);
            long checkpoint = checkpointFile.read().orElse(0);
            return new Opened(TxJournal.open(dir, rollBytes, checkpoint + 1), checkpoint);
        }, false).compose(opened -> {
            TxJournal journal = opened.journal();
            long last = journal.nextIndex() - 1;
            List<TxRecord> pending = journal.records().stream()
                    .filter(r -> r.index() > opened.checkpoint()).toList();
            TxSettlement settlement = new TxSettlement(last);
            TxJournalWriter writer = new TxJournalWriter(journal, checkpointFile, settlement);
            return new TxRecovery(topics, meta).recover(pending).compose(open -> {
                TransactionLog log = new TransactionLog(vertx, meta, writer, settlement, opened.checkpoint(), topics,
                        subscriptions);
                for (long retained : log.xa.restore(open, System.currentTimeMillis())) {
                    settlement.journaled(retained);
                }
                long through = settlement.appliedThrough();
                return (through > opened.checkpoint() ? writer.checkpoint(through) : Future.<Void>succeededFuture())
                        .map(v -> {
                            log.checkpointed = Math.max(through, opened.checkpoint());
                            return log;
                        })
                        .onFailure(e -> log.close());
            }).onFailure(e -> writer.close());
        });
    }

    private record Opened(TxJournal journal, long checkpoint) {
    }

    /**
     * Journals a transaction; completes with its index once it is fsynced. Until {@link #applied} is called with
     * that index, the checkpoint does not pass it.
     */
    public Future<Long> journal(TxRecord record) {
        return writer.write(record);
    }

    /** Every batch of the transaction is appended and every ack settled in memory. Any thread. */
    public void applied(long index) {
        settlement.applied(index);
    }

    /** The XA branches between prepare and forget. */
    public XaTransactions xa() {
        return xa;
    }

    /** A last checkpoint, then closes the journal. Idempotent. */
    public synchronized Future<Void> close() {
        if (closed == null) {
            vertx.cancelTimer(timer);
            long through = settlement.appliedThrough();
            Future<Void> last = through > checkpointed
                    ? meta.syncPositions().compose(v -> writer.checkpoint(through)) : Future.succeededFuture();
            closed = last.recover(e -> {
                LOG.warn("last transaction checkpoint failed; the next start re-checks the journal", e);
                return Future.succeededFuture();
            }).compose(v -> writer.close());
        }
        return closed;
    }

    private void checkpoint() {
        if (checkpointing) {
            return;
        }
        xa.carryForward(System.currentTimeMillis(), settlement.lastJournaled());
        long through = settlement.appliedThrough();
        if (through <= checkpointed) {
            return;
        }
        checkpointing = true;
        meta.syncPositions().compose(v -> writer.checkpoint(through)).onComplete(ar -> {
            checkpointing = false;
            if (ar.succeeded()) {
                checkpointed = through;
            } else {
                LOG.warn("transaction checkpoint at {} failed; retried", through, ar.cause());
            }
        });
    }
}
