package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static io.heraldmq.server.meta.MetaTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MetaStoreDeleteTest {
    @TempDir
    Path dataDir;
    private Vertx vertx;
    private MetaStore store;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        // Long interval, huge batch: positions stay buffered unless something flushes them explicitly.
        store = await(MetaStore.open(vertx, dataDir, new MetaStoreOptions(3_600_000, 1_000_000)));
        await(store.saveTopic(new TopicRecord("orders", false, 2, 0, 0, 1)));
        await(store.saveTopic(new TopicRecord("jobs", true, 1, 0, 0, 2)));
        await(store.saveSubscription(sub("orders:a", "orders")));
        await(store.saveSubscription(sub("orders:b", "orders")));
        await(store.saveSubscription(sub("jobs:q", "jobs")));
    }

    @AfterEach
    void stop() {
        await(store.close());
        await(vertx.close());
    }

    private static SubscriptionRecord sub(String id, String topic) {
        return new SubscriptionRecord(id, topic, id, null, true, false, null, false, 1000, 3);
    }

    @Test
    void deleteTopicTakesSubscriptionsAndPositionsWithIt() {
        store.commitPosition("orders:a", 0, new Position(10));
        store.commitPosition("orders:b", 1, new Position(20));
        store.commitPosition("jobs:q", 0, new Position(30));
        await(store.flushPositions());
        store.commitPosition("orders:a", 1, new Position(11)); // still buffered when the delete comes

        await(store.deleteTopic(false, "orders"));

        assertEquals(List.of("jobs"), await(store.loadTopics()).stream().map(TopicRecord::name).toList());
        assertEquals(List.of("jobs:q"), await(store.loadSubscriptions()).stream().map(SubscriptionRecord::id).toList());
        assertEquals(Map.of(), await(store.loadPositions("orders:a")));
        assertEquals(Map.of(), await(store.loadPositions("orders:b")));
        assertEquals(Map.of(0, new Position(30)), await(store.loadPositions("jobs:q")));
        await(store.flushPositions());
        assertEquals(1, rows(store, "SELECT COUNT(*) FROM positions"), "no orphan row from the buffered position");
    }

    @Test
    void deleteSubscriptionRemovesItsPositionsOnly() {
        store.commitPosition("orders:a", 0, new Position(10));
        store.commitPosition("orders:b", 0, new Position(20));
        await(store.flushPositions());
        store.commitPosition("orders:a", 1, new Position(11)); // buffered

        await(store.deleteSubscription("orders:a"));
        await(store.flushPositions());

        assertEquals(Map.of(), await(store.loadPositions("orders:a")));
        assertEquals(Map.of(0, new Position(20)), await(store.loadPositions("orders:b")));
        assertEquals(List.of("jobs:q", "orders:b"),
                await(store.loadSubscriptions()).stream().map(SubscriptionRecord::id).toList());
        assertEquals(1, rows(store, "SELECT COUNT(*) FROM positions"));
    }
}
