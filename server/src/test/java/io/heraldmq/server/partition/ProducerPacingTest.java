package io.heraldmq.server.partition;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerPacingTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private volatile boolean backedUp;
    private final List<Partition.AppendListener> subscriptions = List.of(new Partition.AppendListener() {
        @Override
        public void appended() {
        }

        @Override
        public boolean backedUp() {
            return backedUp;
        }
    });
    private final List<Integer> released = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void onContext(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersAtOnceWhileNobodyIsBackedUp() throws Exception {
        ProducerPacing pacing = new ProducerPacing(context, subscriptions);
        onContext(() -> pacing.whenCaughtUp(() -> released.add(1)));
        assertEquals(List.of(1), released);
    }

    @Test
    void holdsWhileBackedUpAndReleasesInOrderWhenConsumersCatchUp() throws Exception {
        ProducerPacing pacing = new ProducerPacing(context, subscriptions);
        backedUp = true;
        onContext(() -> {
            pacing.whenCaughtUp(() -> released.add(1));
            pacing.whenCaughtUp(() -> released.add(2));
            pacing.progressed();
        });
        assertTrue(released.isEmpty(), "held while a consumer is backed up");
        onContext(() -> {
            backedUp = false;
            // Behind what is held already, even though nobody is backed up any more: answers keep their order.
            pacing.whenCaughtUp(() -> released.add(3));
            pacing.progressed();
        });
        assertEquals(List.of(1, 2, 3), released);
    }

    @Test
    void aConsumerThatStaysBackedUpOnlyPacesTheProducer() throws Exception {
        ProducerPacing pacing = new ProducerPacing(context, subscriptions);
        backedUp = true;
        onContext(() -> pacing.whenCaughtUp(() -> released.add(1)));
        await().atMost(30, TimeUnit.SECONDS).until(() -> released.equals(List.of(1)));
    }

    @Test
    void closeReleasesEverythingHeld() throws Exception {
        ProducerPacing pacing = new ProducerPacing(context, subscriptions);
        backedUp = true;
        onContext(() -> {
            pacing.whenCaughtUp(() -> released.add(1));
            pacing.close();
        });
        assertEquals(List.of(1), released);
    }
}
