package io.heraldmq.server.tx;

import io.heraldmq.server.log.OffsetCheckpointFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes journal records on a thread of its own (never an event loop) with group commit: every record queued while
 * the previous fsync ran is written and covered by the next single fsync. The checkpoint file and the deletion of
 * settled journal files run on the same thread, so they never race an append.
 * <p>
 * A failed write or fsync takes the whole group back out of the file ({@link TxJournal#rewind}) and fails it: a
 * refused commit is not in the journal. If even that fails, the writer refuses everything from then on (the broker
 * needs a restart; recovery then decides from what is on disk).
 */
final class TxJournalWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TxJournalWriter.class);

    private record Pending(TxRecord record, Context context, Promise<Long> promise) {
    }

    private final TxJournal journal;
    private final OffsetCheckpointFile checkpoint;
    private final TxSettlement settlement;
    private final ExecutorService thread;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile String broken;

    TxJournalWriter(TxJournal journal, OffsetCheckpointFile checkpoint, TxSettlement settlement) {
        this.journal = journal;
        this.checkpoint = checkpoint;
        this.settlement = settlement;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "heraldmq-txlog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Journals {@code record}; the future completes, on the caller's context, with its index once it is fsynced
     * and registered as not yet applied with the {@link TxSettlement}.
     */
    Future<Long> write(TxRecord record) {
        if (broken != null) {
            return Future.failedFuture(new IOException(broken));
        }
        Promise<Long> promise = Promise.promise();
        queue.add(new Pending(record, Vertx.currentContext(), promise));
        if (draining.compareAndSet(false, true)) {
            thread.execute(this::drain);
        }
        return promise.future();
    }

    /** Records {@code settled} as the checkpoint and deletes the journal files wholly at or below it. */
    Future<Void> checkpoint(long settled) {
        Promise<Void> promise = Promise.promise();
        Context context = Vertx.currentContext();
        thread.execute(() -> {
            try {
                checkpoint.write(settled);
                journal.deleteThrough(settled);
                complete(context, () -> promise.complete());
            } catch (IOException | RuntimeException e) {
                complete(context, () -> promise.fail(e));
            }
        });
        return promise.future();
    }

    /** Finishes what is queued, then closes the file. */
    Future<Void> close() {
        Promise<Void> promise = Promise.promise();
        thread.execute(() -> {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.warn("closing the transaction journal failed", e);
            }
            promise.complete();
        });
        thread.shutdown();
        return promise.future();
    }

    private void drain() {
        while (true) {
            List<Pending> group = new ArrayList<>();
            for (Pending p = queue.poll(); p != null; p = queue.poll()) {
                group.add(p);
            }
            if (group.isEmpty()) {
                draining.set(false);
                // a write queued after the poll but before the flag cleared found draining set: take it now
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            writeGroup(group);
        }
    }

    private void writeGroup(List<Pending> group) {
        long[] indexes = new long[group.size()];
        TxJournal.Mark mark = null;
        try {
            if (broken != null) {
                throw new IOException(broken);
            }
            mark = journal.mark();
            for (int i = 0; i < group.size(); i++) {
                indexes[i] = journal.append(group.get(i).record()).index();
            }
            journal.force();
        } catch (IOException | RuntimeException e) {
            LOG.warn("writing {} record(s) to the transaction journal failed", group.size(), e);
            if (mark != null) {
                try {
                    journal.rewind(mark);
                } catch (IOException | RuntimeException again) {
                    broken = "the transaction journal cannot be written since: " + again.getMessage();
                    LOG.error(broken, again);
                }
            }
            for (Pending p : group) {
                complete(p.context(), () -> p.promise().fail(e));
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            settlement.journaled(indexes[i]);
            Pending p = group.get(i);
            long index = indexes[i];
            complete(p.context(), () -> p.promise().complete(index));
        }
    }

    private static void complete(Context context, Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
