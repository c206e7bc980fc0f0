package io.heraldmq.connect.jdbc;

import io.heraldmq.connect.ConnectProcess;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of {@code bin/heraldmq connect} (a process of its own, so run after the reactor packaged
 * {@code heraldmq-connect.jar}) while its jdbc-sink streams a queue into a table: after a restart every message is a
 * row, with at most one batch written twice, and none with {@code dedup.column}.
 */
class JdbcSinkCrashIT {
    private static final int TOTAL = 10_000;
    private static final int BATCH = 500;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final Map<String, TestDatabase> databases = new HashMap<>();

    @TempDir
    Path dir;

    private static TestDatabase database(String kind) throws Exception {
        TestDatabase d = databases.get(kind);
        if (d == null) {
            d = TestDatabase.open(kind);
            databases.put(kind, d);
        }
        return d;
    }

    @AfterAll
    static void closeDatabases() throws Exception {
        for (TestDatabase d : databases.values()) {
            d.close();
        }
        databases.clear();
    }

    /** Dedup on H2 is tested without a process of its own, in JdbcSinkIT, to keep this class short. */
    @ParameterizedTest(name = "{0}, dedup {1}")
    @CsvSource({"h2, false", "postgresql, false", "postgresql, true"})
    void killDashNineInMidStreamLosesNoRow(String kind, boolean dedup) throws Exception {
        TestDatabase db = database(kind);
        String table = dedup ? "crash_dedup" : "crash";
        db.execute("CREATE TABLE " + table + " (id VARCHAR(100)" + (dedup ? " UNIQUE" : "")
                + ", seq INTEGER, line VARCHAR(200))");
        String queue = "jdbc.crash." + kind + "." + dedup;
        send(queue);
        Path cfg = dir.resolve("connectors.properties");
        Files.write(cfg, List.of(
                "connector.db.type = jdbc-sink",
                "connector.db.url = " + broker.url(),
                "connector.db.destination = queue://" + queue,
                "connector.db.jdbc.url = " + db.url(),
                "connector.db.jdbc.user = " + db.user(),
                "connector.db.jdbc.password = " + db.password(),
                "connector.db.table = " + table,
                "connector.db.columns = id=JMSMessageID, seq=seq, line=body",
                "connector.db.batch.size = " + BATCH,
                dedup ? "connector.db.dedup.column = id" : ""), StandardCharsets.UTF_8);
        long atKill;
        // one connection for the polling: a new one every few milliseconds would cost PostgreSQL a process each
        try (java.sql.Connection jdbc = db.connect(); Statement query = jdbc.createStatement()) {
            try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
                assertTrue(p.output().contains("HeraldMQ connect running"), p.output());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> count(query, "SELECT COUNT(*) FROM " + table) > TOTAL / 5);
                p.kill();
            }
            atKill = count(query, "SELECT COUNT(*) FROM " + table);
            assertTrue(atKill < TOTAL, "the sink finished before the kill; send more");
        }
        try (java.sql.Connection jdbc = db.connect(); Statement query = jdbc.createStatement();
             ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(query, "SELECT COUNT(DISTINCT seq) FROM " + table) == TOTAL);
            assertEquals(143, p.terminate(), p.output());
            assertTrue(p.output().contains("db: records_in="), p.output());
        }
        List<Long> seqs = db.longs("SELECT seq FROM " + table);
        assertEquals(TOTAL, seqs.stream().distinct().count(), "rows lost");
        long duplicates = seqs.size() - TOTAL;
        if (dedup) {
            assertEquals(0, duplicates, "duplicates despite dedup.column");
        } else {
            assertTrue(duplicates <= BATCH, "more duplicates than one batch: " + duplicates);
        }
        System.out.println(kind + (dedup ? " with dedup.column" : "") + ": kill -9 at " + atKill + " of " + TOTAL
                + " rows: " + duplicates + " duplicate rows");
    }

    private static long count(Statement query, String sql) throws SQLException {
        try (ResultSet rs = query.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void send(String queue) throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < TOTAL; i++) {
                Message m = s.createTextMessage("line " + i);
                m.setIntProperty("seq", i);
                p.send(m);
                if (i % 1000 == 999) {
                    s.commit();
                }
            }
            s.commit();
        }
    }
}
