package io.heraldmq.server.meta;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that talks JDBC, and the one {@link Connection} it owns.
 *
 * <p>Why a thread of our own and not a Vert.x worker: Vert.x's ordered {@code executeBlocking} orders tasks per
 * calling context only, and the store is called from many contexts (every partition commits positions). One
 * FIFO thread gives a single global order, so "flush positions, then delete the subscription" can never be
 * reordered into an orphan row, and the connection needs no locking because it never leaves this thread.
 * JDBC therefore never runs on an event loop, nor blocks a Vert.x worker pool others depend on.
 *
 * <p>Results are handed back on the caller's context, so callers stay single-threaded.
 */
final class JdbcThread {
    /** Work to run with the connection; the connection has auto-commit off. */
    @FunctionalInterface
    interface Task<T> {
        T run(Connection c) throws Exception;
    }

    /** After the commit: only commit (H2 writes it out within its write delay), or also fsync the file. */
    enum Durability { COMMIT, SYNC }

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ExecutorService executor;
    /** Touched on the JDBC thread only. */
    private Connection connection;
    /** Told each commit's duration in nanoseconds (and its CHECKPOINT SYNC's), on the JDBC thread. */
    private volatile java.util.function.LongConsumer commitNanos = n -> { };

    JdbcThread() {
        String name = "heraldmq-meta-" + COUNT.incrementAndGet();
        // Daemon: a store someone forgot to close must not keep the JVM alive; close() is what makes data safe.
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates {@code dir}, opens the connection (auto-commit off), then runs {@code init} with it. */
    Future<Void> open(Context caller, Path dir, String url, Task<?> init) {
        return submit(caller, c -> {
            // H2 would create it too; doing it here gives a plain I/O error (permissions, a file in the way).
            Files.createDirectories(dir);
            connection = DriverManager.getConnection(url, "sa", "");
            connection.setAutoCommit(false);
            init.run(connection);
            return null;
        }, Durability.COMMIT, true);
    }

    /**
     * Queues {@code task} behind everything queued before. Commits after it, rolls back if it throws.
     * {@code caller} is the context to complete on; null completes on the JDBC thread (internal use only).
     */
    <T> Future<T> submit(Context caller, Task<T> task, Durability durability) {
        return submit(caller, task, durability, false);
    }

    /** Sets what is told each commit's duration (nanoseconds, on the JDBC thread; must not block). */
    void observeCommits(java.util.function.LongConsumer observer) {
        commitNanos = observer;
    }

    /** Runs {@code last} (committed and synced), closes the database and stops the thread. */
    Future<Void> close(Context caller, Task<?> last) {
        Future<Void> f = submit(caller, c -> {
            if (c == null) {
                return null; // open failed and already closed the connection
            }
            try {
                last.run(c);
                c.commit();
                try (Statement s = c.createStatement()) {
                    // Everything committed is in the file and fsynced before we report closed.
                    s.execute("CHECKPOINT SYNC");
                    s.execute("SHUTDOWN");
                }
            } finally {
                closeQuietly();
            }
            return null;
        }, Durability.COMMIT, true);
        executor.shutdown();
        return f;
    }

    private <T> Future<T> submit(Context caller, Task<T> task, Durability durability, boolean opening) {
        Promise<T> promise = Promise.promise();
        try {
            executor.execute(() -> {
                T result;
                try {
                    if (connection == null && !opening) {
                        throw new IllegalStateException("metadata store is not open");
                    }
                    result = task.run(connection);
                    if (connection != null && !connection.isClosed()) {
                        long started = System.nanoTime();
                        connection.commit();
                        if (durability == Durability.SYNC) {
                            try (Statement s = connection.createStatement()) {
                                s.execute("CHECKPOINT SYNC");
                            }
                        }
                        commitNanos.accept(System.nanoTime() - started);
                    }
                } catch (Throwable e) {
                    rollbackQuietly(e);
                    if (opening) {
                        closeQuietly();
                    }
                    complete(caller, () -> promise.fail(e));
                    return;
                }
                complete(caller, () -> promise.complete(result));
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new IllegalStateException("metadata store is closed"));
        }
        return promise.future();
    }

    private static void complete(Context caller, Runnable r) {
        if (caller == null) {
            r.run();
        } else {
            caller.runOnContext(v -> r.run());
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // The database is going away either way; the caller gets the original failure.
        }
        connection = null;
    }
}
