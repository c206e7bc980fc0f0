package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static io.heraldmq.server.meta.MetaTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V2__destination_kind.sql on a database a V1 broker wrote: every row survives under its (kind, name) key, a queue
 * and a topic can then share a name, and a crash after any statement of the script (H2 commits DDL at once, so a
 * half-run script stays half-run) still ends, after the next start, with the same data.
 */
class DestinationKindMigrationTest {
    private static final List<Migration> V1_ONLY = List.of(Migration.ALL.get(0));

    @TempDir
    Path root;
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    /** A V1 database with a queue, a topic and its durable subscription, positions and dead-letter settings. */
    private Path v1Database(String dir) {
        Path dataDir = root.resolve(dir);
        MetaStore v1 = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), V1_ONLY));
        await(v1.onJdbcThread(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO topics VALUES ('orders', TRUE, 1, 1000, -1, 11)");
                s.execute("INSERT INTO topics VALUES ('prices', FALSE, 4, -1, 5000, 12)");
                s.execute("INSERT INTO subscriptions VALUES ('durable:app:feed', 'prices', 'feed', 'app', TRUE,"
                        + " FALSE, 'x > 1', TRUE, 0, 13)");
                s.execute("INSERT INTO dead_letter_settings VALUES ('queue://orders', 3, 100, 2.0, 1000, NULL)");
                s.execute("INSERT INTO dead_letter_settings VALUES ('topic://prices', 5, 0, 1.5, 0, 'bin')");
                s.execute("INSERT INTO dead_letter_settings VALUES ('handmade', 7, 0, 1.0, 0, NULL)");
            }
            return null;
        }));
        v1.commitPosition("queue:orders", 0, new Position(42));
        v1.commitPosition("durable:app:feed", 3, new Position(7));
        await(v1.close());
        return dataDir;
    }

    private void assertMigrated(Path dataDir) {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        try {
            assertEquals(2, rows(store, "SELECT MAX(version) FROM schema_version"));
            assertEquals(List.of(new TopicRecord("orders", true, 1, 1000, -1, 11),
                    new TopicRecord("prices", false, 4, -1, 5000, 12)), await(store.loadTopics()));
            assertEquals(List.of(new SubscriptionRecord("durable:app:feed", "prices", "feed", "app", true, false,
                    "x > 1", true, 0, 13)), await(store.loadSubscriptions()));
            assertEquals(Map.of(0, new Position(42)), await(store.loadPositions("queue:orders")));
            assertEquals(Map.of(3, new Position(7)), await(store.loadPositions("durable:app:feed")));
            assertEquals(Optional.of(new DeadLetterSettings(true, "orders", 3, 100, 2.0, 1000, null)),
                    await(store.loadDeadLetterSettings(true, "orders")));
            assertEquals(Optional.empty(), await(store.loadDeadLetterSettings(false, "orders")));
            assertEquals(Optional.of(new DeadLetterSettings(false, "prices", 5, 0, 1.5, 0, "bin")),
                    await(store.loadDeadLetterSettings(false, "prices")));
            assertEquals(Optional.of(new DeadLetterSettings(true, "handmade", 7, 0, 1.0, 0, null)),
                    await(store.loadDeadLetterSettings(true, "handmade")), "a row without a kind is a queue's");
            assertEquals(0, rows(store, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE"
                    + " '%\\_V2' ESCAPE '\\'"), "no half-migrated table left");
        } finally {
            await(store.close());
        }
    }

    @Test
    void rowsOfAVersionOneDatabaseSurviveUnderTheirKindAndName() {
        Path dataDir = v1Database("plain");
        assertMigrated(dataDir);

        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        await(store.saveTopic(new TopicRecord("orders", false, 3, -1, -1, 20)));
        await(store.saveTopic(new TopicRecord("prices", true, 1, 60_000, -1, 21)));
        await(store.saveDeadLetterSettings(new DeadLetterSettings(false, "orders", 2, 0, 1.0, 0, null)));
        assertEquals(4, await(store.loadTopics()).size(), "a queue and a topic may share a name");
        assertEquals(Optional.of(new DeadLetterSettings(true, "orders", 3, 100, 2.0, 1000, null)),
                await(store.loadDeadLetterSettings(true, "orders")),
                "the topic's settings did not replace the queue's");

        await(store.deleteTopic(true, "prices"));
        assertEquals(1, await(store.loadSubscriptions()).size(),
                "deleting queue prices leaves topic prices' subscriptions alone");
        assertEquals(List.of(new TopicRecord("orders", false, 3, -1, -1, 20),
                new TopicRecord("orders", true, 1, 1000, -1, 11), new TopicRecord("prices", false, 4, -1, 5000, 12)),
                await(store.loadTopics()));
        await(store.deleteTopic(true, "orders"));
        assertEquals(Optional.empty(), await(store.loadDeadLetterSettings(true, "orders")),
                "a destination's settings go with it");
        assertTrue(await(store.loadDeadLetterSettings(false, "orders")).isPresent());
        await(store.close());
    }

    @Test
    void aCrashAfterAnyStatementOfTheScriptStillMigratesEverything() throws IOException {
        List<String> statements = SchemaMigrator.statements(script());
        assertTrue(statements.size() > 10, "the script has its steps: " + statements.size());
        for (int done = 1; done <= statements.size(); done++) {
            Path dataDir = v1Database("crash-" + done);
            MetaStore crashed = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), V1_ONLY));
            List<String> ran = statements.subList(0, done);
            await(crashed.onJdbcThread(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : ran) {
                        s.execute(sql);
                        c.commit();
                    }
                }
                return null;
            }));
            await(crashed.close());
            assertMigrated(dataDir);
            // Each database is a file set of its own; drop it so the loop stays small on disk.
            MetaStoreFiles.delete(dataDir);
        }
    }

    private static String script() throws IOException {
        try (InputStream in = DestinationKindMigrationTest.class.getClassLoader()
                .getResourceAsStream("db/migration/V2__destination_kind.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Deletes a data directory. */
    private static final class MetaStoreFiles {
        static void delete(Path dir) throws IOException {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
