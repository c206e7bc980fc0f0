package io.heraldmq.server.meta;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaStoreThreadingTest {
    @TempDir
    Path dataDir;
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    /** Runs {@code call} on {@code ctx} and reports the context its future completed on. */
    private static <T> Context completedOn(Context ctx, Function<Void, Future<T>> call) {
        Promise<Context> where = Promise.promise();
        ctx.runOnContext(v -> call.apply(null).onComplete(ar -> {
            if (ar.failed()) {
                where.fail(ar.cause());
            } else {
                where.complete(Vertx.currentContext());
            }
        }));
        return await(where.future());
    }

    @Test
    void futuresCompleteOnTheCallingEventLoopContext() {
        Context ctx = vertx.getOrCreateContext();
        assertTrue(ctx.isEventLoopContext());
        Promise<MetaStore> opened = Promise.promise();
        ctx.runOnContext(v -> MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()).onComplete(ar -> {
            assertSame(ctx, Vertx.currentContext(), "open completes on the caller's context");
            opened.handle(ar);
        }));
        MetaStore store = await(opened.future());

        List<Function<Void, Future<?>>> calls = new ArrayList<>();
        calls.add(v -> store.saveTopic(new TopicRecord("t", false, 1, 0, 0, 0)));
        calls.add(v -> store.loadTopics());
        calls.add(v -> store.saveSubscription(new SubscriptionRecord("s", "t", "s", null, true, false, null,
                false, 0, 0)));
        calls.add(v -> store.loadSubscriptions());
        calls.add(v -> {
            store.commitPosition("s", 0, new Position(1));
            return store.flushPositions();
        });
        calls.add(v -> store.loadPositions("s"));
        calls.add(v -> store.saveDeadLetterSettings(new DeadLetterSettings(false, "t", 1, 0, 1, 0, null)));
        calls.add(v -> store.loadDeadLetterSettings(false, "t"));
        calls.add(v -> store.deleteSubscription("s"));
        calls.add(v -> store.deleteTopic(false, "t"));
        for (Function<Void, Future<?>> call : calls) {
            assertSame(ctx, completedOn(ctx, call::apply));
        }
        assertSame(ctx, completedOn(ctx, v -> store.close()));
    }

    @Test
    void futuresCompleteOnTheCallingWorkerContext() {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        Promise<Context> deployed = Promise.promise();
        vertx.deployVerticle(new io.vertx.core.AbstractVerticle() {
            @Override
            public void start() {
                deployed.complete(context);
            }
        }, new io.vertx.core.DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER));
        Context worker = await(deployed.future());
        assertTrue(worker.isWorkerContext());
        assertSame(worker, completedOn(worker, v -> store.loadTopics()));
        await(store.close());
    }

    @Test
    void failuresAlsoCompleteOnTheCallingContext() {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        Context ctx = vertx.getOrCreateContext();
        Promise<Context> where = Promise.promise();
        ctx.runOnContext(v -> store.onJdbcThread(c -> {
            throw new IllegalStateException("boom");
        }).onComplete(ar -> where.complete(ar.failed() ? Vertx.currentContext() : null)));
        assertSame(ctx, await(where.future()));
        await(store.close());
    }

    @Test
    void jdbcRunsOnTheStoreThreadNeverOnAnEventLoop() {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        Context ctx = vertx.getOrCreateContext();
        Promise<List<Object>> probe = Promise.promise();
        ctx.runOnContext(v -> store.onJdbcThread(c -> List.<Object>of(Context.isOnEventLoopThread(),
                Context.isOnVertxThread(), Thread.currentThread().getName())).onComplete(probe));
        List<Object> seen = await(probe.future());
        assertFalse((Boolean) seen.get(0), "JDBC on an event loop");
        assertFalse((Boolean) seen.get(1), "JDBC on a Vert.x thread");
        assertTrue(((String) seen.get(2)).startsWith("heraldmq-meta-"), (String) seen.get(2));
        await(store.close());
    }

    @Test
    void callsFromSeveralContextsRunInCallOrder() {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        List<Integer> order = new ArrayList<>(); // only touched on the JDBC thread
        Context a = vertx.getOrCreateContext();
        Context b = vertx.getOrCreateContext();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            Context ctx = i % 2 == 0 ? a : b;
            Promise<Object> p = Promise.promise();
            // Submit from this thread in order; the context only matters for completion.
            done.add(store.onJdbcThread(c -> order.add(n)));
            ctx.runOnContext(v -> p.complete());
            done.add(p.future());
        }
        await(Future.all(done));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, await(store.onJdbcThread(c -> List.copyOf(order))));
        await(store.close());
    }
}
