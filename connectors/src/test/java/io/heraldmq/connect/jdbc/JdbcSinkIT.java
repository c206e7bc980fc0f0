package io.heraldmq.connect.jdbc;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jdbc-sink against a real broker and real databases over TCP: H2's server, and a PostgreSQL server the test
 * starts itself ({@link PostgresProcess}; those cases skip, saying why, where PostgreSQL is not installed).
 */
class JdbcSinkIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final Map<String, TestDatabase> databases = new HashMap<>();
    private final List<JdbcSinkConnector> running = new ArrayList<>();

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

    @AfterEach
    void stopSinks() {
        running.forEach(JdbcSinkConnector::stop);
    }

    private JdbcSinkConnector sink(TestDatabase db, String... options) {
        Map<String, String> m = new HashMap<>();
        m.put("connector.db.type", "jdbc-sink");
        m.put("connector.db.url", broker.url());
        m.put("connector.db.jdbc.url", db.url());
        m.put("connector.db.jdbc.user", db.user());
        m.put("connector.db.jdbc.password", db.password());
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.db." + options[i], options[i + 1]);
        }
        return new JdbcSinkConnector(ConnectorConfig.parse(m).get(0), new HeraldConnectionFactory(broker.url()));
    }

    private JdbcSinkConnector start(TestDatabase db, String... options) throws Exception {
        JdbcSinkConnector c = sink(db, options);
        running.add(c);
        c.start();
        assertTrue(c.awaitSubscribed(Duration.ofSeconds(20)));
        return c;
    }

    /** Sends {@link #standard} messages {@code from} to {@code to} - 1, in transactions of 1,000. */
    private void send(String destination, int from, int to) throws Exception {
        send(destination, from, to, JdbcSinkIT::standard);
    }

    private void send(String destination, int from, int to, MessageMaker make) throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(destination.startsWith("queue://")
                    ? s.createQueue(destination.substring(8)) : s.createTopic(destination.substring(8)));
            for (int i = from; i < to; i++) {
                p.send(make.make(s, i));
                if ((i - from) % 1000 == 999) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    /** A TextMessage {@code line N} with properties seq = N, host = web-(N % 3), severity = N % 8. */
    private static Message standard(Session s, int i) throws Exception {
        Message m = s.createTextMessage("line " + i);
        m.setIntProperty("seq", i);
        m.setStringProperty("host", "web-" + (i % 3));
        m.setIntProperty("severity", i % 8);
        return m;
    }

    @FunctionalInterface
    private interface MessageMaker {
        Message make(Session s, int i) throws Exception;
    }

    private static long acknowledged(JdbcSinkConnector c) {
        return c.counters().snapshot().get("acknowledged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aQueueIntoATypedTableFromHeadersPropertiesAndBody(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE from_queue (id VARCHAR(100), ts TIMESTAMP WITH TIME ZONE, host VARCHAR(20), "
                + "severity INTEGER, seq BIGINT, redelivered BOOLEAN, line VARCHAR(200))");
        Instant before = Instant.now().minusSeconds(1);
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.q", "table", "from_queue",
                "columns", "id=JMSMessageID, ts=JMSTimestamp, host=host, severity=severity, seq=seq, "
                        + "redelivered=JMSRedelivered, line=body", "batch.size", "100");
        send("queue://jdbc.q", 0, 999);
        send("queue://jdbc.q", 999, 1000, (s, i) -> {
            BytesMessage b = s.createBytesMessage();
            b.writeBytes("bytes ü".getBytes(StandardCharsets.UTF_8));
            b.setIntProperty("seq", i);
            return b;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged(c) == 1000L);
        // committed to JMS only once in the table: every row is there by the time the commit is counted
        assertEquals(LongStream.range(0, 1000).boxed().toList(),
                db.longs("SELECT seq FROM from_queue ORDER BY seq"));
        try (var conn = db.connect(); PreparedStatement ps = conn.prepareStatement("SELECT id, ts, host, severity, "
                + "redelivered, line FROM from_queue WHERE seq IN (11, 999) ORDER BY seq")) {
            ResultSet rs = ps.executeQuery();
            assertTrue(rs.next());
            assertTrue(rs.getString("id").startsWith("ID:"), rs.getString("id"));
            Instant ts = rs.getObject("ts", OffsetDateTime.class).toInstant();
            assertTrue(ts.isAfter(before) && ts.isBefore(Instant.now().plusSeconds(1)), ts.toString());
            assertEquals("web-2", rs.getString("host"));
            assertEquals(3, rs.getInt("severity"));
            assertEquals(false, rs.getBoolean("redelivered"));
            assertEquals("line 11", rs.getString("line"));
            assertTrue(rs.next());
            assertEquals("bytes ü", rs.getString("line"));
        }
        assertEquals(Map.of("records_in", 1000L, "published", 1000L, "acknowledged", 1000L, "dropped", 0L,
                "retried", 0L, "lag", 0L), c.counters().snapshot());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDurableSubscriptionIntoACreatedTableKeepsWhatArrivesWhileTheSinkIsDown(String kind) throws Exception {
        TestDatabase db = database(kind);
        String[] options = {"destination", "topic://jdbc.t", "subscription", "rows", "table", "created",
                "create.table", "true", "columns", "ts=JMSTimestamp,seq=seq,line=body"};
        JdbcSinkConnector first = start(db, options);
        send("topic://jdbc.t", 0, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(first) == 10L);
        first.stop();
        send("topic://jdbc.t", 10, 20);
        JdbcSinkConnector second = start(db, options);
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(second) == 10L);
        // text columns: the numbers as written, the time as ISO-8601 UTC
        assertEquals(LongStream.range(0, 20).boxed().toList(),
                db.longs("SELECT CAST(seq AS INTEGER) FROM created ORDER BY CAST(seq AS INTEGER)"));
        try (var conn = db.connect(); ResultSet rs = conn.createStatement().executeQuery(
                "SELECT ts, line FROM created WHERE seq = '7'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString("ts").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
                    rs.getString("ts"));
            assertEquals("line 7", rs.getString("line"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void messagesThatCannotBeRowsAreDroppedAndCountedAndTheRestIsWritten(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE strict (seq INTEGER, severity INTEGER NOT NULL, line VARCHAR(12))");
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.bad", "table", "strict",
                "columns", "seq=seq,severity=severity,line=body");
        send("queue://jdbc.bad", 0, 10, (s, i) -> switch (i) {
            // refused before the database: a property that is no integer, a body neither text nor bytes
            case 3 -> {
                Message m = standard(s, i);
                m.setStringProperty("severity", "high");
                yield m;
            }
            case 4 -> {
                Message m = s.createMapMessage();
                m.setIntProperty("seq", i);
                yield m;
            }
            // refused by the database, in the middle of a batch: too long for the column, null for NOT NULL
            case 5 -> {
                Message m = standard(s, i);
                ((TextMessage) m).setText("a line longer than twelve characters");
                yield m;
            }
            case 6 -> {
                Message m = s.createTextMessage("no severity");
                m.setIntProperty("seq", i);
                yield m;
            }
            default -> standard(s, i);
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 10L);
        assertEquals(List.of(0L, 1L, 2L, 7L, 8L, 9L), db.longs("SELECT seq FROM strict ORDER BY seq"));
        Map<String, Long> counters = c.counters().snapshot();
        assertEquals(4L, counters.get("dropped"), counters.toString());
        assertEquals(6L, counters.get("published"), counters.toString());
        // refused rows are not retried: the stream goes on
        assertEquals(0L, counters.get("retried"), counters.toString());
        send("queue://jdbc.bad", 10, 20);
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 20L);
        assertEquals(16L, db.count("SELECT COUNT(*) FROM strict"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDatabaseOutageCommitsNothingMeanwhileAndLosesNothing(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE outage (seq INTEGER, line VARCHAR(50))");
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.outage", "table", "outage",
                "columns", "seq=seq,line=body", "batch.size", "100", "retry.max.delay", "200ms");
        send("queue://jdbc.outage", 0, 300);
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 300L);
        db.stop();
        try {
            send("queue://jdbc.outage", 300, 600);
            await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("retried") >= 2);
            // while the database is away nothing more is committed to JMS: the batch under way waits, uncommitted
            assertEquals(300L, acknowledged(c));
            assertEquals(300L, c.counters().snapshot().get("published"));
        } finally {
            db.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged(c) == 600L);
        List<Long> seqs = db.longs("SELECT seq FROM outage ORDER BY seq");
        assertEquals(600L, seqs.stream().distinct().count(), "rows lost");
        assertTrue(seqs.size() - 600 <= 100, "more duplicates than one batch: " + (seqs.size() - 600));
        System.out.println(kind + " outage: " + (seqs.size() - 600) + " duplicate rows, " + c.counters().format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSinkStoppedDuringAnOutageLeavesItsBatchOnTheBroker(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE stopped (seq INTEGER)");
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.stopped", "table", "stopped",
                "columns", "seq=seq", "retry.max.delay", "200ms");
        db.stop();
        try {
            send("queue://jdbc.stopped", 0, 50);
            await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("retried") >= 1);
            long t0 = System.nanoTime();
            c.stop();
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the stop waited for the database");
        } finally {
            db.start();
        }
        assertEquals(0L, acknowledged(c));
        List<Integer> left = new ArrayList<>();
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("jdbc.stopped"));
            conn.start();
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(500)) {
                left.add(m.getIntProperty("seq"));
            }
        }
        assertEquals(IntStream.range(0, 50).boxed().toList(), left);
        assertEquals(0L, db.count("SELECT COUNT(*) FROM stopped"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aTableRenamedAwayIsWaitedForAndFilledOnceItIsBack(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE moving (seq INTEGER)");
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.moving", "table", "moving",
                "columns", "seq=seq", "batch.size", "50", "retry.max.delay", "200ms");
        send("queue://jdbc.moving", 0, 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 100L);
        db.execute("ALTER TABLE moving RENAME TO moved_away");
        try {
            send("queue://jdbc.moving", 100, 200);
            await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("retried") >= 2);
            assertEquals(100L, acknowledged(c));
        } finally {
            db.execute("ALTER TABLE moved_away RENAME TO moving");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 200L);
        List<Long> seqs = db.longs("SELECT seq FROM moving ORDER BY seq");
        assertEquals(200L, seqs.stream().distinct().count(), "rows lost");
        assertTrue(seqs.size() - 200 <= 50, "more duplicates than one batch: " + (seqs.size() - 200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void withADedupColumnARedeliveredBatchIsNotWrittenTwice(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE dedup (id VARCHAR(100) UNIQUE, seq INTEGER)");
        send("queue://jdbc.dedup", 0, 50);
        // What a crash between the two commits leaves: the rows in the table, the messages back on the queue.
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection();
             var jdbc = db.connect();
             PreparedStatement insert = jdbc.prepareStatement("INSERT INTO dedup (id, seq) VALUES (?, ?)")) {
            Session s = conn.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("jdbc.dedup"));
            conn.start();
            for (int i = 0; i < 30; i++) {
                Message m = consumer.receive(5000);
                insert.setString(1, m.getJMSMessageID());
                insert.setInt(2, m.getIntProperty("seq"));
                insert.executeUpdate();
            }
            s.rollback();
        }
        JdbcSinkConnector c = start(db, "destination", "queue://jdbc.dedup", "table", "dedup",
                "columns", "id=JMSMessageID,seq=seq", "dedup.column", "id");
        await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(c) == 50L);
        assertEquals(LongStream.range(0, 50).boxed().toList(), db.longs("SELECT seq FROM dedup ORDER BY seq"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aMissingTableColumnOrUniqueIndexIsRefusedAtStartWithItsName(String kind) throws Exception {
        TestDatabase db = database(kind);
        db.execute("CREATE TABLE partial (seq INTEGER, line VARCHAR(20))");
        String noTable = assertThrows(SQLException.class, () -> sink(db, "destination", "queue://jdbc.none",
                "table", "absent", "columns", "line=body").start()).getMessage();
        assertTrue(noTable.contains("table absent does not exist"), noTable);
        String noColumn = assertThrows(SQLException.class, () -> sink(db, "destination", "queue://jdbc.none",
                "table", "partial", "columns", "seq=seq,host=host,line=body,app=app").start()).getMessage();
        assertTrue(noColumn.contains("table partial has no column host, app"), noColumn);
        String noIndex = assertThrows(SQLException.class, () -> sink(db, "destination", "queue://jdbc.none",
                "table", "partial", "columns", "seq=seq,line=JMSMessageID", "dedup.column", "line").start())
                .getMessage();
        assertTrue(noIndex.contains("dedup.column line needs a unique index"), noIndex);
        String badAuth = assertThrows(SQLException.class, () -> {
            JdbcSinkConnector c = sink(db, "destination", "queue://jdbc.none", "table", "partial",
                    "columns", "line=body", "jdbc.password", "wrong");
            c.start();
        }).getMessage();
        assertTrue(badAuth.contains("partial at " + db.url()), badAuth);
    }

    /**
     * Not an assertion: the rate into the database of 200-byte bodies in batches of 1,000, printed; for PostgreSQL
     * also with the driver's {@code reWriteBatchedInserts} (a JDBC batch sent as multi-row INSERTs).
     * {@code -Djdbc.sink.throughput.messages=N} to measure with more.
     */
    @ParameterizedTest
    @CsvSource({"h2, ''", "postgresql, ''", "postgresql, ?reWriteBatchedInserts=true"})
    void throughputOf200ByteBodiesInBatchesOf1000(String kind, String urlParameters) throws Exception {
        TestDatabase db = database(kind);
        int total = Integer.getInteger("jdbc.sink.throughput.messages", 5_000);
        String table = urlParameters.isEmpty() ? "rate" : "rate_rewritten";
        db.execute("CREATE TABLE " + table + " (id VARCHAR(100), ts TIMESTAMP WITH TIME ZONE, seq INTEGER, "
                + "line VARCHAR(300))");
        String body = "x".repeat(200);
        String queue = "queue://jdbc." + table;
        send(queue, 0, total, (s, i) -> {
            Message m = s.createTextMessage(body);
            m.setIntProperty("seq", i);
            return m;
        });
        long t0 = System.nanoTime();
        JdbcSinkConnector c = start(db, "destination", queue, "table", table, "jdbc.url", db.url() + urlParameters,
                "columns", "id=JMSMessageID,ts=JMSTimestamp,seq=seq,line=body", "batch.size", "1000");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> acknowledged(c) == total);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(total, db.count("SELECT COUNT(*) FROM " + table));
        System.out.printf("jdbc-sink into %s%s: %d messages of 200 bytes, batch 1000, in %.2f s: %.0f msg/s%n",
                kind, urlParameters, total, seconds, total / seconds);
    }
}
