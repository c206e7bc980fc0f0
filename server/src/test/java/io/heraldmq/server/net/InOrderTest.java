package io.heraldmq.server.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InOrderTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * The lookup of an earlier request completes on another thread, and a later request whose lookup is done
     * already arrives on the event loop before that completion's listener ran there: with a plain onComplete the
     * later one would run first.
     */
    @Test
    void aLaterRequestWhoseLookupIsDoneWaitsForAnEarlierOne() throws Exception {
        Context context = vertx.getOrCreateContext();
        List<String> ran = new CopyOnWriteArrayList<>();
        // Bound to the event loop's context, as the futures of Vert.x's own calls are: completed from another thread,
        // it hands its listeners to the event loop as queued tasks.
        Promise<Void> slow = ((io.vertx.core.impl.ContextInternal) context).promise();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InOrder[] inOrder = new InOrder[1];
        context.runOnContext(v -> {
            inOrder[0] = new InOrder(context);
            inOrder[0].run(slow.future(), () -> ran.add("first"));
        });
        // Hold the event loop, complete the first lookup from this thread (its listener is queued behind the held
        // task), and queue the second request right behind it.
        context.runOnContext(v -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inOrder[0].run(Future.succeededFuture(), () -> ran.add("second"));
        });
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        slow.complete();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 2);
        assertEquals(List.of("first", "second"), ran);
    }

    @Test
    void aRequestWithNothingBeforeItRunsAtOnce() throws Exception {
        Context context = vertx.getOrCreateContext();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        context.runOnContext(v -> {
            new InOrder(context).run(Future.succeededFuture(), () -> ran.add("now"));
            ran.add("after");
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("now", "after"), ran);
    }
}
