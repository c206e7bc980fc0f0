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
 * broker is stopped, then starts it again: what an administration command will do on a running broker.
 */
final class DeadLetterSettingsSupport {
    private DeadLetterSettingsSupport() {
    }

    static void store(BrokerExtension broker, DeadLetterSettings... settings) throws Exception {
        broker.shutdown();
        Vertx vertx = Vertx.vertx();
        try {
            MetaStore meta = await(MetaStore.open(vertx, broker.dataDir(), MetaStoreOptions.defaults()));
            for (DeadLetterSettings s : settings) {
                await(meta.saveDeadLetterSettings(s));
            }
            await(meta.close());
        } finally {
            await(vertx.close());
        }
        broker.start();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
