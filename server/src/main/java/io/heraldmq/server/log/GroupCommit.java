package io.heraldmq.server.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.Executor;

// STAND-IN: replaced by helper/log at merge. Flushes once per call.
public final class GroupCommit {
    private final Context owner;
    private final PartitionLog log;
    private final FlushPolicy policy;
    private final Executor executor;

    public GroupCommit(Context owner, PartitionLog log, FlushPolicy policy, long intervalMs, Executor flushExecutor) {
        this.owner = owner;
        this.log = log;
        this.policy = policy;
        this.executor = flushExecutor;
    }

    public Future<Void> awaitDurable(long lastOffset) {
        if (policy != FlushPolicy.ALWAYS) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        executor.execute(() -> {
            try {
                log.flush();
                owner.runOnContext(v -> p.complete());
            } catch (Exception e) {
                owner.runOnContext(v -> p.fail(e));
            }
        });
        return p.future();
    }

    public void close() {
    }
}
