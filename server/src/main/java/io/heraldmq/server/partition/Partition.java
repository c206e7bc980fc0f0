package io.heraldmq.server.partition;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.log.GroupCommit;
import io.heraldmq.server.log.LogConfig;
import io.heraldmq.server.log.PartitionLog;
import io.heraldmq.server.log.RetentionHold;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.metrics.DestinationMeters;
import io.heraldmq.server.metrics.FlushMeters;
import io.heraldmq.server.metrics.PartitionFigures;
import io.heraldmq.server.replication.PartitionReplica;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One partition of a topic: its log, its tail cache and the subscriptions reading it. Deployed as a verticle only to
 * own a Vert.x context of its own: every method runs on that context ({@link #context()}), so the append path and
 * dispatch need no locks. Callers on other contexts hop with {@link #run}.
 */
public final class Partition extends AbstractVerticle {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

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

        /**
         * What this listener (an open subscription) keeps of the log against retention; null for nothing. Called on
         * the partition's context at each retention check.
         */
        default RetentionHold retentionHold() {
            return null;
        }
    }

    private final String topic;
    private final int id;
    private final Path dir;
    private final BrokerConfig config;
    private final Executor flushExecutor;
    private final RetentionPolicy retention;
    private final Clock clock;
    private final Supplier<List<RetentionHold>> closedSubscriptionHolds;
    private final List<AppendListener> listeners = new ArrayList<>();
    private TailCache cache;
    private ProducerPacing pacing;
    private PartitionLog log;
    private GroupCommit commit;
    private String fenced;
    private long retentionTimer = -1;
    private boolean retiring;
    private long possiblyDeliveredBelow;
    private PartitionReplica replication;
    /** Idempotent producers seen in this log, to refuse a retried batch a second copy. Context: the partition's. */
    private ProducerStates producers = new ProducerStates();
    /** Counted here, on this partition's context; read by the meters when scraped. */
    private final PartitionFigures figures = new PartitionFigures();
    private DestinationMeters meters = DestinationMeters.NONE;
    private FlushMeters flushMeters = FlushMeters.NONE;
    private DestinationMeters.Registration registration;

    /**
     * @param retention               the destination's retention limits; its {@code deletableBelowOffset} is ignored
     *                                (see {@link #applyRetention})
     * @param clock                   the time retention compares segment ages with (a test clock in tests)
     * @param closedSubscriptionHolds the holds of the destination's subscriptions that are not open on this
     *                                partition (known only from their stored positions); called on this
     *                                partition's context, must not block
     */
    public Partition(String topic, int id, Path dir, BrokerConfig config, Executor flushExecutor,
                     RetentionPolicy retention, Clock clock, Supplier<List<RetentionHold>> closedSubscriptionHolds) {
        this.topic = topic;
        this.id = id;
        this.dir = dir;
        this.config = config;
        this.flushExecutor = flushExecutor;
        this.retention = retention;
        this.clock = clock;
        this.closedSubscriptionHolds = closedSubscriptionHolds;
    }

    @Override
    public void start(Promise<Void> started) {
        cache = new TailCache(config.tailCacheBytes());
        pacing = new ProducerPacing(context, listeners);
        LogConfig logConfig = new LogConfig(config.segmentBytes(), LogConfig.defaults().segmentMs(),
                LogConfig.defaults().indexIntervalBytes(), LogConfig.defaults().preallocate(),
                config.cluster() != null);
        // Zero-filling ahead of the write position is a blocking write: on a worker, not on this event loop.
        Executor filler = task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false);
        ProducerStates[] rebuilt = new ProducerStates[1];
        vertx.<PartitionLog>executeBlocking(() -> {
                    PartitionLog opened = PartitionLog.open(dir, logConfig, clock, filler);
                    try {
                        rebuilt[0] = rebuildProducers(opened);
                    } catch (IOException | RuntimeException e) {
                        opened.close();
                        throw e;
                    }
                    return opened;
                }, false)
                .onSuccess(opened -> {
                    log = opened;
                    producers = rebuilt[0];
                    possiblyDeliveredBelow = opened.possiblyDeliveredBelow();
                    commit = new GroupCommit(context, log, config.flushPolicy(), config.flushIntervalMs(),
                            flushExecutor, flushMeters);
                    registration = meters.partition(id, figures, opened::sizeInBytes, opened::segmentCount,
                            opened::logStartOffset, opened::logEndOffset);
                    retentionTimer = vertx.setPeriodic(config.retentionCheckIntervalMs(),
                            t -> applyRetention(Long.MAX_VALUE));
                    started.complete();
                })
                .onFailure(e -> {
                    // A corrupt partition is fenced, not fatal: the broker serves every other partition.
                    fenced = e.getMessage();
                    LOG.error("partition {}-{} fenced: {}", topic, id, e.getMessage(), e);
                    started.complete();
                });
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (replication != null) {
            replication.close();
        }
        pacing.close();
        if (registration != null) {
            registration.close();
        }
        if (log == null) {
            stopped.complete();
            return;
        }
        commit.close();
        vertx.cancelTimer(retentionTimer);
        vertx.executeBlocking(() -> {
            log.close();
            return null;
        }, false).<Void>mapEmpty().onComplete(stopped);
    }

    /**
     * The idempotent producers of the log's last {@link ProducerStates#REBUILD_SCAN_BYTES} bytes. Blocking: on a
     * worker, while nothing appends.
     */
    private static ProducerStates rebuildProducers(PartitionLog log) throws IOException {
        long from = log.offsetBytesBeforeEnd(ProducerStates.REBUILD_SCAN_BYTES);
        return ProducerStates.rebuild(at -> log.read(at, 1 << 20), from, log.logEndOffset(),
                ProducerStates.DEFAULT_MAX_PRODUCERS);
    }

    public String topic() {
        return topic;
    }

    /**
     * Where this partition's series go, and the broker's fsync meters. Before it is deployed (the series are
     * registered once its log is open, and removed when it stops).
     */
    public void meterWith(DestinationMeters destinationMeters, FlushMeters flush) {
        this.meters = destinationMeters;
        this.flushMeters = flush;
    }

    /** What this partition counts; written on its context only ({@link PartitionFigures}). */
    public PartitionFigures figures() {
        return figures;
    }

    /** The series of this partition's destination (for its subscriptions'). */
    public DestinationMeters meters() {
        return meters;
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
        if (replication != null) {
            return replication.produce(batch, waitDurable);
        }
        long stored = producers.duplicateOf(batch);
        if (stored != ProducerStates.NOT_DUPLICATE) {
            return answerDuplicate(batch, stored, waitDurable);
        }
        long base;
        try {
            base = log.append(batch, 0);
        } catch (IOException e) {
            LOG.warn("append to {}-{} failed", topic, id, e);
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED,
                    "cannot append to " + topic + "-" + id + ": " + e.getMessage()));
        }
        producers.appended(batch);
        cache.add(batch);
        figures.messagesIn.add(RecordBatch.recordCount(batch));
        figures.bytesIn.add(batch.length());
        // The fsync starts before dispatch, so the flush thread wakes and syncs while the subscriptions deliver: a
        // synchronous producer's round trip does not include the dispatch.
        Future<Long> result = waitDurable
                ? commit.awaitDurable(RecordBatch.lastOffset(batch)).map(base) : Future.succeededFuture(base);
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).appended();
        }
        return result;
    }

    /**
     * Appends one batch as the replicated partition's leader, stamped with {@code leaderEpoch}. Subscriptions are
     * not told: they read up to the high watermark, and the replication layer calls {@link #visibleEndAdvanced} when
     * it moves. Context: the partition's.
     *
     * @param waitDurable complete once the leader's own copy is durable under the flush policy
     * @return the batch's base offset
     */
    public Future<Long> appendAsLeader(Buffer batch, int leaderEpoch, boolean waitDurable) {
        long stored = producers.duplicateOf(batch);
        if (stored != ProducerStates.NOT_DUPLICATE) {
            // Nothing appended: the caller's wait for the high watermark to pass the log end covers the stored copy.
            return answerDuplicate(batch, stored, waitDurable);
        }
        long base;
        try {
            base = log.append(batch, leaderEpoch);
        } catch (IOException e) {
            LOG.warn("append to {}-{} failed", topic, id, e);
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED,
                    "cannot append to " + topic + "-" + id + ": " + e.getMessage()));
        }
        producers.appended(batch);
        cache.add(batch);
        figures.messagesIn.add(RecordBatch.recordCount(batch));
        figures.bytesIn.add(batch.length());
        return waitDurable ? commit.awaitDurable(RecordBatch.lastOffset(batch)).map(base) : Future.succeededFuture(base);
    }

    /**
     * A batch an idempotent producer sent again (see {@link ProducerStates}): not stored a second time; answered with
     * the stored copy's base offset once that copy is as durable as the first answer would have waited for.
     */
    private Future<Long> answerDuplicate(Buffer batch, long storedBase, boolean waitDurable) {
        long storedLast = producers.duplicateLastOffset(batch);
        if (LOG.isDebugEnabled()) {
            LOG.debug("partition {}-{}: batch {} of producer {} is already stored at {}; not appended again", topic, id,
                    RecordBatch.baseSequence(batch), RecordBatch.producerId(batch), storedBase);
        }
        return waitDurable && storedLast >= 0
                ? commit.awaitDurable(Math.min(storedLast, logEndOffset() - 1)).map(storedBase)
                : Future.succeededFuture(storedBase);
    }

    /**
     * Appends batches fetched from the leader, bytes, offsets and epochs unchanged. Context: the partition's.
     *
     * @return completes once they are durable under the flush policy: only then may the follower report them
     */
    public Future<Void> appendReplica(Buffer batches) {
        long end;
        try {
            end = log.appendReplica(batches);
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(e);
        }
        int pos = 0;
        while (pos < batches.length()) {
            int size = RecordBatch.sizeAt(batches, pos);
            Buffer batch = batches.slice(pos, pos + size);
            cache.add(batch);
            // a follower keeps the producers' state too, so that it de-duplicates from its first send as leader
            producers.appended(batch);
            figures.replicatedIn.add(RecordBatch.recordCount(batch));
            pos += size;
        }
        return commit.awaitDurable(end - 1);
    }

    /**
     * Removes every batch at and above {@code offset} (a batch boundary), durably, on a worker: a replica whose
     * tail diverged from its leader's. Nothing else appends meanwhile: only the follower's fetch loop, which waits
     * for this. Context: the partition's; completes on it.
     */
    public Future<Void> truncateTo(long offset) {
        cache.clear();
        // The producers' state may name batches above the cut: it is read again from what the log keeps.
        return vertx.executeBlocking(() -> {
            log.truncateTo(offset);
            return rebuildProducers(log);
        }, false).map(states -> {
            producers = states;
            return null;
        });
    }

    /** The partition's directory (the replication layer keeps its epoch files there). */
    public Path directory() {
        return dir;
    }

    /** The replication layer's state of this partition; null on a single node. Context: the partition's. */
    public PartitionReplica replication() {
        return replication;
    }

    /** Makes this partition replicated. Context: the partition's, before any client uses it. */
    public void replicate(PartitionReplica replication) {
        this.replication = replication;
    }

    /**
     * Where consumers must stop: the high watermark of a replicated partition (records a majority holds), the log
     * end on a single node. Context: the partition's.
     */
    public long visibleEnd() {
        return replication == null ? logEndOffset() : Math.min(replication.highWatermark(), logEndOffset());
    }

    /**
     * How far subscriptions may read now: {@link #visibleEnd()} on a single node and on the established leader of a
     * replicated partition; nothing anywhere else (a follower's copy, or a leader still being elected, which cannot
     * yet tell what the previous leader delivered). Context: the partition's.
     */
    public long readableEnd() {
        if (replication == null) {
            return logEndOffset();
        }
        return replication.isEstablishedLeader() ? visibleEnd() : 0;
    }

    /** The high watermark moved: subscriptions may read further. Context: the partition's. */
    public void visibleEndAdvanced() {
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).appended();
        }
    }

    /**
     * How many batches of the transaction (producerId, sequence) the log holds from {@code fromOffset} to its end:
     * transaction recovery appends the rest. Reads on a worker, skipping from batch header to batch header.
     * Context: any; the future completes on the caller's context.
     */
    public Future<Integer> countTransactionBatches(long fromOffset, long producerId, int sequence) {
        if (log == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED,
                    "partition " + topic + "-" + id + " is fenced: " + fenced));
        }
        return vertx.executeBlocking(() -> {
            int count = 0;
            long at = Math.max(fromOffset, log.logStartOffset());
            while (at < log.logEndOffset()) {
                Buffer batches = log.read(at, 1 << 20);
                if (batches.length() == 0) {
                    break;
                }
                int pos = 0;
                while (batches.length() - pos >= RecordBatch.HEADER_BYTES) {
                    int size = RecordBatch.sizeAt(batches, pos);
                    Buffer batch = batches.slice(pos, pos + size);
                    if (RecordBatch.nextOffset(batch) > at
                            && RecordBatch.belongsTo(batches, pos, producerId, sequence)) {
                        count++;
                    }
                    at = Math.max(at, RecordBatch.nextOffset(batch));
                    pos += size;
                }
            }
            return count;
        }, false);
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
     * The cached batch holding {@code offset}, or null if it is not in the tail cache (then {@link #read}): the
     * dispatcher's common case, without a future per batch. Context: the partition's.
     */
    public Buffer readCached(long offset) {
        return log != null && offset >= log.logStartOffset() ? cache.find(offset) : null;
    }

    /**
     * Batches starting with the one that holds {@code offset}: from the tail cache at once, else read from disk on a
     * worker. An empty buffer means {@code offset} is at the log end. Context: the partition's; the future completes
     * on it.
     */
    public Future<Buffer> read(long offset) {
        if (log != null && offset < log.logStartOffset()) {
            // retention went past it (the tail cache may still hold it): continue at the log start
            offset = log.logStartOffset();
        }
        Buffer cached = cache.find(offset);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        if (fenced != null || offset >= log.logEndOffset()) {
            return Future.succeededFuture(Buffer.buffer(0));
        }
        long from = offset;
        return vertx.executeBlocking(() -> log.read(from, 1 << 20), false);
    }

    /**
     * Applies the destination's retention limits (time and size, {@link BrokerConfig#retentionMs()} and
     * {@link BrokerConfig#retentionBytes()} unless the destination has its own) and its subscriptions' retention:
     * a closed segment goes once the limits let it go and every subscription has acknowledged it or kept it longer
     * than its own retention ({@link RetentionHold}; open subscriptions give theirs as {@link AppendListener}s,
     * closed durable ones and queues through the supplier given at construction). Which whole closed segments go is
     * decided here, on the partition's context, and takes effect at once (the log start moves); their files are
     * deleted on a worker. Runs every {@link BrokerConfig#retentionCheckIntervalMs()}; a run that finds the previous
     * one still deleting does nothing. Context: the partition's.
     *
     * @param lowestOffsetNeeded no segment holding this offset or a later one is deleted; {@link Long#MAX_VALUE} =
     *                           no constraint
     * @return what was deleted (nothing if the files could not be deleted: the failure is logged)
     */
    public Future<PartitionLog.RetiredSegments> applyRetention(long lowestOffsetNeeded) {
        if (log == null || retiring) {
            return Future.succeededFuture(PartitionLog.RetiredSegments.none());
        }
        PartitionLog.RetiredSegments retired = log.retire(new RetentionPolicy(retention.retentionMs(),
                retention.retentionBytes(), lowestOffsetNeeded, retentionHolds()));
        if (retired.count() == 0) {
            return Future.succeededFuture(retired);
        }
        retiring = true;
        return vertx.executeBlocking(() -> {
            log.deleteRetired(retired);
            return retired;
        }, false).andThen(ar -> {
            retiring = false;
            if (ar.succeeded()) {
                figures.retentionSegments.add(retired.count());
                figures.retentionBytes.add(retired.bytes());
                LOG.info("retention deleted {} segment(s), {} bytes, of {}-{}; log start offset now {}",
                        retired.count(), retired.bytes(), topic, id, retired.logStartOffset());
            } else {
                LOG.warn("retention of {}-{} could not delete the files of {} retired segment(s); the next start "
                        + "finds them in the log again", topic, id, retired.count(), ar.cause());
            }
        });
    }

    /** The holds of every subscription of the destination, open here or not. */
    private List<RetentionHold> retentionHolds() {
        List<RetentionHold> holds = new ArrayList<>(closedSubscriptionHolds.get());
        for (int i = 0; i < listeners.size(); i++) {
            RetentionHold hold = listeners.get(i).retentionHold();
            if (hold != null) {
                holds.add(hold);
            }
        }
        return holds;
    }

    /**
     * The offset of the first batch whose timestamps reach {@code timestampMs} (the log end if none does), looked up
     * in the time index on a worker. Context: any; the future completes on the caller's context.
     */
    public Future<Long> offsetForTimestamp(long timestampMs) {
        if (log == null) {
            return Future.succeededFuture(0L);
        }
        return vertx.executeBlocking(() -> log.offsetForTimestamp(timestampMs), false);
    }

    /** {@link PartitionLog#timestampBound}: memory only, no read. Context: any. */
    public long timestampBound(long offset) {
        return log == null ? -1 : log.timestampBound(offset);
    }

    /** Bytes of the log's segments. Context: any (the log keeps its segment list and sizes visible). */
    public long sizeInBytes() {
        return log == null ? 0 : log.sizeInBytes();
    }

    /**
     * Records below this offset were in the log when the broker crashed, and delivery counts live in memory only,
     * so they may have been delivered without the broker remembering it: a subscription counts its first delivery of
     * one as a redelivery (Jakarta Messaging 3.1, sections 3.4.7 and 3.5.11 allow JMSRedelivered when the provider
     * cannot be sure). One bound for every subscription keeps it cheap ({@link PartitionLog#possiblyDeliveredBelow}).
     * Context: any (set once during start).
     */
    public long possiblyDeliveredBelow() {
        return possiblyDeliveredBelow;
    }

    /**
     * Raises {@link #possiblyDeliveredBelow()}: a broker that takes over leadership cannot know what the previous
     * leader delivered. In memory only. Context: the partition's.
     */
    public void possiblyDeliveredBelow(long offset) {
        possiblyDeliveredBelow = Math.max(possiblyDeliveredBelow, offset);
    }

    public long logStartOffset() {
        return log == null ? 0 : log.logStartOffset();
    }

    public long logEndOffset() {
        return log == null ? 0 : log.logEndOffset();
    }

    /** How many offsets in [from, to) hold control records, not messages. Any thread. */
    public long controlRecords(long from, long to) {
        return log == null ? 0 : log.controlRecords(from, to);
    }

    /**
     * Messages behind a position: the offsets from {@code committed} to the log end that are neither settled (the
     * acknowledged {@code ranges} above it, [start, end) pairs) nor control records. Any thread.
     */
    public long backlog(long committed, long[] ranges) {
        long end = logEndOffset();
        long behind = end - committed - controlRecords(committed, end);
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            long to = Math.min(ranges[i + 1], end);
            if (to > ranges[i]) {
                behind -= to - ranges[i] - controlRecords(ranges[i], to);
            }
        }
        return Math.max(0, behind);
    }

    public void addListener(AppendListener listener) {
        listeners.add(listener);
    }

    public void removeListener(AppendListener listener) {
        listeners.remove(listener);
    }
}
