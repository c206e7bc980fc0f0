package io.heraldmq.server.partition;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.log.GroupCommit;
import io.heraldmq.server.log.LogConfig;
import io.heraldmq.server.log.PartitionLog;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One partition of a topic: its log, its tail cache and the subscriptions reading it. Deployed as a verticle only to
 * own a Vert.x context of its own: every method runs on that context ({@link #context()}), so the append path and
 * dispatch need no locks. Callers on other contexts hop with {@link #run}.
 */
public final class Partition extends AbstractVerticle {
    private static final Logger LOG = Logger.getLogger(Partition.class.getName());

    /** Receives a call after every append, on the partition's context. */
    public interface AppendListener {
        void appended();

        /**
         * Whether an active consumer lags so far behind the log end that producers should wait for it
         * ({@link ProducerPacing}).
         */
        default boolean backedUp() {
            return false;
        }
    }

    private final String topic;
    private final int id;
    private final Path dir;
    private final BrokerConfig config;
    private final Executor flushExecutor;
    private final List<AppendListener> listeners = new ArrayList<>();
    private TailCache cache;
    private ProducerPacing pacing;
    private PartitionLog log;
    private GroupCommit commit;
    private String fenced;

    public Partition(String topic, int id, Path dir, BrokerConfig config, Executor flushExecutor) {
        this.topic = topic;
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.flushExecutor = flushExecutor;
    }

    @Override
    public void start(Promise<Void> started) {
        cache = new TailCache(config.tailCacheBytes());
        pacing = new ProducerPacing(context, listeners);
        LogConfig logConfig = new LogConfig(config.segmentBytes(), LogConfig.defaults().segmentMs(),
                LogConfig.defaults().indexIntervalBytes(), LogConfig.defaults().preallocate());
        vertx.<PartitionLog>executeBlocking(() -> PartitionLog.open(dir, logConfig, Clock.systemUTC()), false)
                .onSuccess(opened -> {
                    log = opened;
                    commit = new GroupCommit(context, log, config.flushPolicy(), config.flushIntervalMs(),
                            flushExecutor);
                    started.complete();
                })
                .onFailure(e -> {
                    // A corrupt partition is fenced, not fatal: the broker serves every other partition.
                    fenced = e.getMessage();
                    LOG.log(Level.SEVERE, "partition " + topic + "-" + id + " fenced: " + e.getMessage(), e);
                    started.complete();
                });
    }

    @Override
    public void stop(Promise<Void> stopped) {
        pacing.close();
        if (log == null) {
            stopped.complete();
            return;
        }
        commit.close();
        vertx.executeBlocking(() -> {
            log.close();
            return null;
        }, false).<Void>mapEmpty().onComplete(stopped);
    }

    public String topic() {
        return topic;
    }

    public int id() {
        return id;
    }

    public Context context() {
        return context;
    }

    /** Runs {@code task} on this partition's context. */
    public void run(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    public boolean isFenced() {
        return fenced != null;
    }

    /**
     * Appends one batch. Context: the partition's.
     *
     * @param waitDurable complete only once the batch is as durable as the flush policy promises (then the future
     *                    may complete on the flush thread, see {@link GroupCommit})
     * @return the batch's base offset
     */
    public Future<Long> append(Buffer batch, boolean waitDurable) {
        if (fenced != null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED,
                    "partition " + topic + "-" + id + " is fenced: " + fenced));
        }
        long base;
        try {
            base = log.append(batch, 0);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "append to " + topic + "-" + id + " failed", e);
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED,
                    "cannot append to " + topic + "-" + id + ": " + e.getMessage()));
        }
        cache.add(batch);
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).appended();
        }
        if (!waitDurable) {
            return Future.succeededFuture(base);
        }
        return commit.awaitDurable(RecordBatch.lastOffset(batch)).map(base);
    }

    /**
     * Runs {@code release} (the answer to a producer's window marker) once the consumers of this partition are not
     * backed up, or after {@link ProducerPacing#MAX_HOLD_MS} at most. Context: the partition's.
     */
    public void whenConsumersCaughtUp(Runnable release) {
        pacing.whenCaughtUp(release);
    }

    /** A subscription made progress: answers held back by {@link #whenConsumersCaughtUp} may go. */
    public void consumersProgressed() {
        pacing.progressed();
    }

    /**
     * Batches starting with the one that holds {@code offset}: from the tail cache at once, else read from disk on a
     * worker. An empty buffer means {@code offset} is at the log end. Context: the partition's; the future completes
     * on it.
     */
    public Future<Buffer> read(long offset) {
        Buffer cached = cache.find(offset);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        if (fenced != null || offset >= log.logEndOffset()) {
            return Future.succeededFuture(Buffer.buffer(0));
        }
        return vertx.executeBlocking(() -> log.read(offset, 1 << 20), false);
    }

    public long logStartOffset() {
        return log == null ? 0 : log.logStartOffset();
    }

    public long logEndOffset() {
        return log == null ? 0 : log.logEndOffset();
    }

    public void addListener(AppendListener listener) {
        listeners.add(listener);
    }

    public void removeListener(AppendListener listener) {
        listeners.remove(listener);
    }
}
