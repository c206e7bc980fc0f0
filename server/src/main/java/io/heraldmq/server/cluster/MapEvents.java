package io.heraldmq.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.BiConsumer;

/**
 * Changes of one of the cluster's string maps, handed from Hazelcast's event threads to a Vert.x context in the order
 * Hazelcast delivers them: {@code (key, value)} for an added, updated or merged entry, {@code (key, null)} for a
 * removed one. A cleared map reports nothing (the cluster classes never clear theirs).
 */
final class MapEvents implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
        EntryRemovedListener<String, String>, EntryMergedListener<String, String>, MapClearedListener {
    private final Context context;
    private final BiConsumer<String, String> changed;

    private MapEvents(Context context, BiConsumer<String, String> changed) {
        this.context = context;
        this.changed = changed;
    }

    /** Registers the listener on a worker; the future completes once events flow. */
    static Future<Void> listen(Vertx vertx, IMap<String, String> map, Context context,
                               BiConsumer<String, String> changed) {
        return vertx.executeBlocking(() -> {
            map.addEntryListener(new MapEvents(context, changed), true);
            return null;
        }, false);
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
        deliver(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
        deliver(event.getKey(), event.getValue());
    }

    @Override
    public void entryMerged(EntryEvent<String, String> event) {
        deliver(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
        deliver(event.getKey(), null);
    }

    @Override
    public void mapCleared(MapEvent event) {
        // never done by HeraldMQ
    }

    private void deliver(String key, String value) {
        context.runOnContext(v -> changed.accept(key, value));
    }
}
