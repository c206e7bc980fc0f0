package io.heraldmq.tck.redelivery;

import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.MetaStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * Writes destinations' rows of {@code dead_letter_settings} (the broker's per-destination source of truth) while the
 * broker is stopped (every member of a cluster), then starts it again: what an administration command does on a
 * running broker.
 */
final class DeadLetterSettingsSupport {
    private DeadLetterSettingsSupport() {
    }

    static void store(BrokerExtension broker, DeadLetterSettings... settings) throws Exception {
        // In a cluster every member keeps the settings (the leader of each destination applies them): all stop.
        broker.shutdownAll();
        Vertx vertx = Vertx.vertx();
        try {
            for (java.nio.file.Path dir : broker.dataDirs()) {
                MetaStore meta = await(MetaStore.open(vertx, dir, MetaStoreOptions.defaults()));
                for (DeadLetterSettings s : settings) {
                    await(meta.saveDeadLetterSettings(s));
                }
                await(meta.close());
            }
        } finally {
            await(vertx.close());
        }
        broker.start();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
