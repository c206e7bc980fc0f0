package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Everything saved comes back the same after close and reopen; save replaces. */
class MetaStoreRoundTripTest {
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

    private MetaStore open() {
        return await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
    }

    @Test
    void topicsSurviveReopenAndSaveReplaces() {
        MetaStore store = open();
        TopicRecord orders = new TopicRecord("orders", false, 4, 604_800_000L, 1L << 34, 1_700_000_000_000L);
        TopicRecord jobs = new TopicRecord("jobs", true, 1, 0, 0, 1_700_000_000_001L);
        await(store.saveTopic(orders));
        await(store.saveTopic(jobs));
        TopicRecord moreOrders = new TopicRecord("orders", false, 8, 3_600_000L, 1L << 30, orders.createdAt());
        await(store.saveTopic(moreOrders));
        await(store.close());

        MetaStore reopened = open();
        assertEquals(List.of(jobs, moreOrders), await(reopened.loadTopics()));
        await(reopened.close());
    }

    @Test
    void subscriptionsSurviveReopenWithNullsKept() {
        MetaStore store = open();
        SubscriptionRecord full = new SubscriptionRecord("c1:audit", "orders", "audit", "c1", true, false,
                "region = 'EU' AND amount > 100", true, 86_400_000L, 42L);
        SubscriptionRecord bare = new SubscriptionRecord("shared:billing", "orders", "billing", null, true, true,
                null, false, 604_800_000L, 43L);
        await(store.saveSubscription(full));
        await(store.saveSubscription(bare));
        await(store.close());

        MetaStore reopened = open();
        assertEquals(List.of(full, bare), await(reopened.loadSubscriptions()));
        await(reopened.close());
    }

    @Test
    void positionsWithAckedRangesSurviveReopen() {
        MetaStore store = open();
        Position p0 = new Position(100, new long[]{102, 105, 110, 111, 5_000_000_000L, 5_000_000_100L});
        Position p1 = new Position(0);
        Position p2 = new Position(Long.MAX_VALUE - 10, new long[]{Long.MAX_VALUE - 5, Long.MAX_VALUE});
        store.commitPosition("sub", 0, p0);
        store.commitPosition("sub", 1, p1);
        store.commitPosition("sub", 2, p2);
        store.commitPosition("other", 0, new Position(7));
        await(store.close());

        MetaStore reopened = open();
        assertEquals(Map.of(0, p0, 1, p1, 2, p2), await(reopened.loadPositions("sub")));
        assertEquals(Map.of(0, new Position(7)), await(reopened.loadPositions("other")));
        assertEquals(Map.of(), await(reopened.loadPositions("nobody")));
        reopened.commitPosition("other", 1, new Position(9)); // buffered, not written yet, and included
        assertEquals(Map.of("sub", Map.of(0, p0, 1, p1, 2, p2), "other", Map.of(0, new Position(7), 1,
                new Position(9))), await(reopened.loadAllPositions()));
        await(reopened.close());
    }

    @Test
    void deadLetterSettingsSurviveReopen() {
        MetaStore store = open();
        DeadLetterSettings orders = new DeadLetterSettings(true, "orders", 5, 1000, 2.0, 60_000, "queue://DLQ.orders");
        DeadLetterSettings jobs = new DeadLetterSettings(true, "jobs", 10, 0, 1.5, 0, null);
        await(store.saveDeadLetterSettings(orders));
        await(store.saveDeadLetterSettings(jobs));
        DeadLetterSettings ordersNow = new DeadLetterSettings(true, "orders", 3, 500, 1.0, 500, null);
        await(store.saveDeadLetterSettings(ordersNow));
        await(store.close());

        MetaStore reopened = open();
        assertEquals(Optional.of(ordersNow), await(reopened.loadDeadLetterSettings(true, "orders")));
        assertEquals(Optional.of(jobs), await(reopened.loadDeadLetterSettings(true, "jobs")));
        assertEquals(Optional.empty(), await(reopened.loadDeadLetterSettings(true, "none")));
        await(reopened.close());
    }

    @Test
    void closedStoreRefusesWork() {
        MetaStore store = open();
        await(store.close());
        assertEquals(IllegalStateException.class, MetaTestSupport.awaitFailure(store.loadTopics()).getClass());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.commitPosition("s", 0, new Position(1)));
        await(store.close()); // idempotent
    }
}
