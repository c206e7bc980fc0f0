package io.heraldmq.server.meta;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's durable metadata (topics, subscriptions, subscription positions, dead-letter settings) in an
 * embedded H2 database at {@code <dataDir>/meta/heraldmq} (file mode, one process).
 *
 * <p>Threading: every method may be called from any thread or context. Futures complete on the caller's
 * context ({@link Vertx#getOrCreateContext()} at call time). All JDBC runs, in call order, on one dedicated
 * thread (see {@link JdbcThread}), never on an event loop.
 *
 * <p>Durability:
 * <ul>
 *   <li>Definitions ({@code save*}, {@code delete*}): committed and fsynced ({@code CHECKPOINT SYNC}) before the
 *       future completes. They change rarely, so the fsync is cheap overall.</li>
 *   <li>Positions: {@link #commitPosition} only buffers. A batch is written (committed, not fsynced) at most
 *       {@code commitIntervalMs} after the first buffered update, or as soon as {@code commitBatchSize} updates
 *       arrived. H2 then writes its own store to the file within its write delay (about 0.5 s) and the OS to the
 *       disk later still. After a clean {@link #close()} everything is on disk. After a crash of the process the
 *       positions of the last interval plus H2's write delay may be lost, after an OS crash or power loss also
 *       what the OS had not written out yet; the broker then redelivers those messages with
 *       {@code JMSRedelivered} set, which JMS allows after a failure. Positions only move forward in the log,
 *       so a lost update means redelivery, never loss of a message.</li>
 * </ul>
 *
 * <p>Not {@link AutoCloseable}: its {@code void close()} cannot be overridden by {@code Future<Void> close()},
 * and closing must be asynchronous (it flushes positions).
 */
public final class MetaStore {
    private static final Logger LOG = LoggerFactory.getLogger(MetaStore.class);

    private final Vertx vertx;
    private final MetaStoreOptions options;
    private final JdbcThread jdbc;
    private final PositionBuffer buffer;
    private final AtomicLong positionCommits = new AtomicLong();
    /** Set once by close(); volatile because commitPosition reads it on the hot path without the lock. */
    private volatile Future<Void> closed;

    private MetaStore(Vertx vertx, MetaStoreOptions options, JdbcThread jdbc) {
        this.vertx = vertx;
        this.options = options;
        this.jdbc = jdbc;
        this.buffer = new PositionBuffer(options.commitBatchSize());
    }

    /** Opens (creating and migrating) the store under dataDir. */
    /** Sets what is told each commit's duration in nanoseconds (on the JDBC thread; must not block). */
    public void observeCommits(java.util.function.LongConsumer observer) {
        jdbc.observeCommits(observer);
    }

    public static Future<MetaStore> open(Vertx vertx, Path dataDir, MetaStoreOptions options) {
        return open(vertx, dataDir, options, Migration.ALL);
    }

    /** As {@link #open(Vertx, Path, MetaStoreOptions)} with another list of scripts (tests add a V2 this way). */
    static Future<MetaStore> open(Vertx vertx, Path dataDir, MetaStoreOptions options, List<Migration> migrations) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        Path dir = dataDir.resolve("meta").toAbsolutePath();
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under us before the broker's
        // shutdown has flushed its last positions; close() is the one that closes it.
        String url = "jdbc:h2:file:" + dir.resolve("heraldmq") + ";DB_CLOSE_ON_EXIT=FALSE";
        SchemaMigrator migrator = new SchemaMigrator(migrations);
        JdbcThread jdbc = new JdbcThread();
        Context caller = vertx.getOrCreateContext();
        return jdbc.open(caller, dir, url, migrator::migrate).map(v -> new MetaStore(vertx, options, jdbc))
          .onFailure(e -> jdbc.close(null, c -> null));
    }

    public Future<List<TopicRecord>> loadTopics() {
        return run(TopicTable::loadAll, JdbcThread.Durability.COMMIT);
    }

    /** Insert or replace. */
    public Future<Void> saveTopic(TopicRecord t) {
        Objects.requireNonNull(t, "topic");
        return run(c -> {
            TopicTable.save(c, t);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    /**
     * Deletes the queue or topic with its dead-letter settings; a topic also with its subscriptions and their
     * positions (buffered ones included).
     */
    public Future<Void> deleteTopic(boolean queue, String name) {
        Objects.requireNonNull(name, "name");
        // Write the buffer first, in the same transaction: a buffered position of one of the topic's
        // subscriptions must not land after the delete and survive as an orphan row.
        return drainAndRun(batch -> c -> {
            writePositions(c, batch);
            TopicTable.delete(c, queue, name);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    public Future<List<SubscriptionRecord>> loadSubscriptions() {
        return run(SubscriptionTable::loadAll, JdbcThread.Durability.COMMIT);
    }

    /** Insert or replace. */
    public Future<Void> saveSubscription(SubscriptionRecord s) {
        Objects.requireNonNull(s, "subscription");
        return run(c -> {
            SubscriptionTable.save(c, s);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    /** Deletes the subscription and its positions (buffered ones included). */
    public Future<Void> deleteSubscription(String id) {
        Objects.requireNonNull(id, "id");
        return drainAndRun(batch -> c -> { // see deleteTopic
            writePositions(c, batch);
            SubscriptionTable.delete(c, id);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    /**
     * Positions by partition. Includes positions committed but not yet written, so a reader always sees the
     * latest {@link #commitPosition} made before this call.
     */
    public Future<Map<Integer, Position>> loadPositions(String subscriptionId) {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        // Buffered entries at this moment are queued behind this read, so lay them over what H2 returns.
        // Entries already drained into a queued batch are ahead of this read in the FIFO and are in H2 by then.
        Map<Integer, Position> newer = buffer.pendingFor(subscriptionId);
        return run(c -> {
            Map<Integer, Position> out = PositionTable.load(c, subscriptionId);
            out.putAll(newer);
            return out;
        }, JdbcThread.Durability.COMMIT);
    }

    /**
     * Every subscription's positions, by subscription id and partition, as {@link #loadPositions} gives them for
     * one: for start-up, when the broker learns what subscriptions that are not open yet keep of the logs.
     */
    public Future<Map<String, Map<Integer, Position>>> loadAllPositions() {
        Map<PositionKey, Position> newer = buffer.pending();
        return run(c -> {
            Map<String, Map<Integer, Position>> out = PositionTable.loadAll(c);
            newer.forEach((k, p) -> out.computeIfAbsent(k.subscriptionId(), x -> new java.util.HashMap<>())
                    .put(k.partition(), p));
            return out;
        }, JdbcThread.Durability.COMMIT);
    }

    /**
     * Buffered: positions are written in batches, at most every options.commitIntervalMs or after
     * options.commitBatchSize updates, whichever first; the latest position per (subscription, partition) wins.
     *
     * <p>Cheap and non-blocking (a synchronized map put); callable from any context. A call that races with
     * {@link #close()} from another thread may be dropped: stop committing before closing.
     *
     * @throws IllegalStateException after {@link #close()}: a position committed then would be silently lost
     */
    public void commitPosition(String subscriptionId, int partition, Position p) {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(p, "position");
        if (isClosed()) {
            throw new IllegalStateException("metadata store is closed");
        }
        switch (buffer.put(new PositionKey(subscriptionId, partition), p)) {
            case FLUSH_NOW -> writeBuffered();
            case ARM_TIMER -> armTimer();
            case NONE -> { }
        }
    }

    /** Writes everything buffered now; completes when it is in H2 (committed). */
    public Future<Void> flushPositions() {
        // Even with nothing buffered, queue a task: a batch drained earlier (by size or timer) may still be
        // queued, and FIFO order makes this future complete only after it.
        return drainAndRun(batch -> c -> {
            writePositions(c, batch);
            return null;
        }, JdbcThread.Durability.COMMIT);
    }

    /**
     * Writes everything buffered now and fsyncs it, as for definitions: for a position that must survive a crash,
     * such as the starting position of a new durable subscription.
     */
    public Future<Void> syncPositions() {
        return drainAndRun(batch -> c -> {
            writePositions(c, batch);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    public Future<Optional<DeadLetterSettings>> loadDeadLetterSettings(boolean queue, String name) {
        Objects.requireNonNull(name, "name");
        return run(c -> DeadLetterTable.load(c, queue, name), JdbcThread.Durability.COMMIT);
    }

    /** Insert or replace. */
    public Future<Void> saveDeadLetterSettings(DeadLetterSettings s) {
        Objects.requireNonNull(s, "settings");
        return run(c -> {
            DeadLetterTable.save(c, s);
            return null;
        }, JdbcThread.Durability.SYNC);
    }

    /** Flushes positions and closes the database. Idempotent: later calls return the same future. */
    public synchronized Future<Void> close() {
        if (closed == null) {
            Map<PositionKey, Position> batch = buffer.drain();
            closed = jdbc.close(vertx.getOrCreateContext(), c -> {
                writePositions(c, batch);
                return null;
            });
        }
        return closed;
    }

    /** Number of position rows written so far (for measuring the commit rate). */
    public long positionCommits() {
        return positionCommits.get();
    }

    /** Test hook: runs {@code task} where every JDBC call of this store runs. */
    <T> Future<T> onJdbcThread(JdbcThread.Task<T> task) {
        return run(task, JdbcThread.Durability.COMMIT);
    }

    private boolean isClosed() {
        return closed != null;
    }

    /**
     * Drains the buffer and queues the task that writes it, atomically with respect to close(): a batch drained
     * here is either queued before close()'s final task or not drained at all, so no race loses positions.
     */
    private synchronized <T> Future<T> drainAndRun(
            java.util.function.Function<Map<PositionKey, Position>, JdbcThread.Task<T>> task,
            JdbcThread.Durability durability) {
        if (isClosed()) {
            return Future.failedFuture(new IllegalStateException("metadata store is closed"));
        }
        return jdbc.submit(vertx.getOrCreateContext(), task.apply(buffer.drain()), durability);
    }

    private <T> Future<T> run(JdbcThread.Task<T> task, JdbcThread.Durability durability) {
        if (isClosed()) {
            return Future.failedFuture(new IllegalStateException("metadata store is closed"));
        }
        return jdbc.submit(vertx.getOrCreateContext(), task, durability);
    }

    /** Runs on the JDBC thread: one JDBC batch, committed here so the counter counts only committed rows. */
    private void writePositions(Connection c, Map<PositionKey, Position> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        int rows = PositionTable.merge(c, batch);
        c.commit();
        positionCommits.addAndGet(rows);
    }

    /** Size- or timer-triggered write; nobody waits for it, so it completes on the JDBC thread. */
    private void writeBuffered() {
        Map<PositionKey, Position> batch;
        Future<Void> f;
        synchronized (this) { // see drainAndRun
            if (isClosed()) {
                return; // close() drained and wrote everything
            }
            batch = buffer.drain();
            if (batch.isEmpty()) {
                return;
            }
            f = jdbc.submit(null, c -> {
                writePositions(c, batch);
                return null;
            }, JdbcThread.Durability.COMMIT);
        }
        f.onFailure(e -> {
            LOG.warn("writing {} subscription positions failed; retrying in {} ms", batch.size(),
                    options.commitIntervalMs(), e);
            if (!isClosed() && buffer.restore(batch)) {
                armTimer();
            }
        });
    }

    private void armTimer() {
        vertx.setTimer(options.commitIntervalMs(), id -> writeBuffered());
    }
}
