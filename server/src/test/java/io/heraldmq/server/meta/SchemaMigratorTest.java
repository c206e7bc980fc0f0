package io.heraldmq.server.meta;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.heraldmq.server.meta.MetaTestSupport.await;
import static io.heraldmq.server.meta.MetaTestSupport.awaitFailure;
import static io.heraldmq.server.meta.MetaTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigratorTest {
    /** A later release's script, only on the test classpath. */
    private static final Migration V3 = new Migration(3, "test addition", "db/test-migration/V3__test_addition.sql");

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

    private List<Migration> withV3() {
        List<Migration> l = new ArrayList<>(Migration.ALL);
        l.add(V3);
        return l;
    }

    @Test
    void emptyDirectoryGetsTheWholeSchema() {
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        assertEquals(Migration.ALL.size(), rows(store, "SELECT COUNT(*) FROM schema_version"));
        assertEquals(4, rows(store, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN"
                + " ('TOPICS', 'SUBSCRIPTIONS', 'POSITIONS', 'DEAD_LETTER_SETTINGS')"));
        await(store.close());
        assertTrue(Files.exists(dataDir.resolve("meta").resolve("heraldmq.mv.db")));
    }

    @Test
    void reopeningRunsNothing() {
        await(await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults())).close());
        MetaStore store = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        assertEquals(List.of(), await(store.onJdbcThread(c -> new SchemaMigrator(Migration.ALL).migrate(c))));
        assertEquals(Migration.ALL.size(), rows(store, "SELECT COUNT(*) FROM schema_version"));
        await(store.close());
    }

    @Test
    void laterScriptRunsOnceOnAnExistingDatabase() {
        MetaStore v2 = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        await(v2.saveTopic(new TopicRecord("orders", false, 3, 1000, 2000, 1)));
        await(v2.close());

        MetaStore v3 = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), withV3()));
        assertEquals(3, rows(v3, "SELECT MAX(version) FROM schema_version"));
        assertEquals(1, rows(v3, "SELECT COUNT(*) FROM test_addition"));
        assertEquals(1, await(v3.loadTopics()).size(), "V3 keeps the earlier data");
        await(v3.close());

        MetaStore again = await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), withV3()));
        assertEquals(1, rows(again, "SELECT COUNT(*) FROM test_addition"), "V3's insert did not run twice");
        assertEquals(3, rows(again, "SELECT COUNT(*) FROM schema_version"));
        await(again.close());
    }

    @Test
    void olderBrokerRefusesNewerSchema() {
        await(await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), withV3())).close());
        Throwable e = awaitFailure(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults()));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        // The failed open released the database: a matching broker can open it again.
        await(await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), withV3())).close());
    }

    @Test
    void editedScriptIsRefused() {
        await(await(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults())).close());
        List<Migration> edited = new ArrayList<>(Migration.ALL);
        edited.set(0, new Migration(1, "initial", V3.resource()));
        Throwable e = awaitFailure(MetaStore.open(vertx, dataDir, MetaStoreOptions.defaults(), edited));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
    }

    @Test
    void splitsScriptsIntoStatements() {
        String script = "-- comment; not a statement\nCREATE TABLE a (\n  x INT\n);\n\nINSERT INTO a VALUES (1);\n"
                + "INSERT INTO a VALUES (2)";
        assertEquals(List.of("CREATE TABLE a (\nx INT\n)", "INSERT INTO a VALUES (1)", "INSERT INTO a VALUES (2)"),
                SchemaMigrator.statements(script));
    }
}
