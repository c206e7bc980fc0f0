package io.heraldmq.server.meta;

import io.vertx.core.Future;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the meta tests: wait for a future, count rows on the store's own JDBC thread. */
final class MetaTestSupport {
    private MetaTestSupport() {
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed or timed out", e);
        }
    }

    static Throwable awaitFailure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the future to fail");
    }

    /**
     * Row count read through the store's FIFO, so it sees every write queued before it (including a size-triggered
     * batch queued by commitPosition on this thread).
     */
    static long rows(MetaStore store, String sql) {
        return await(store.onJdbcThread(c -> count(c, sql)));
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
