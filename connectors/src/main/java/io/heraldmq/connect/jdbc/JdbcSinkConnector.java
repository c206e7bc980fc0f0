package io.heraldmq.connect.jdbc;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.Option;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jdbc-sink}: consumes {@code destination} (a queue, or a topic through the durable subscription
 * {@code subscription} under client id {@code client.id}) in a transacted session and inserts one row per message
 * into {@code table}, its columns filled as {@code columns} maps them ({@link ColumnMapping}).
 * <p>
 * At-least-once: a batch (up to {@code batch.size} messages, or what arrived within {@code batch.timeout} of the
 * first) is inserted with one JDBC batch in one database transaction ({@link TableWriter}), the database commits,
 * and only then the JMS session commits. A crash between the two commits leaves the batch in the table and on the
 * broker, which delivers it again: at most one batch is written twice. With {@code dedup.column} (a unique column
 * the message id goes into) the second copy is skipped by the database, and there are no duplicates at all.
 * <p>
 * When the database fails (unreachable, shutting down, table renamed away), its transaction is rolled back, the
 * JDBC connection closed, and the same batch is written again on a new connection after a pause that doubles from
 * 100 ms up to {@code retry.max.delay}, for as long as it takes. The JMS transaction stays open meanwhile, neither
 * committed nor rolled back: a rollback would count a delivery attempt per message at the broker and move the
 * stream to the dead-letter queue after {@code max.delivery.attempts} failed tries of a long outage. Nothing is
 * committed to JMS for a batch the database does not hold; if the connector stops or dies meanwhile, the broker
 * delivers the batch again. A lost broker connection drops the batch under way (the broker redelivers it) and
 * reconnects with the same pause.
 * <p>
 * A message that cannot become a row (its body is neither text nor bytes, a value does not convert to its column's
 * type, or the database rejects its data) is not retried: it is logged with its JMSMessageID and the reason,
 * counted as dropped, and committed with its batch, so one bad message never holds the stream up.
 */
public final class JdbcSinkConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(JdbcSinkConnector.class.getName());
    private static final long FIRST_RETRY_MS = 100;

    public static final Option<String> JDBC_URL = Option.required("jdbc.url", Option::text);
    public static final Option<String> JDBC_USER = Option.optional("jdbc.user", null, Option::text);
    public static final Option<String> JDBC_PASSWORD = Option.optional("jdbc.password", null, s -> s);
    public static final Option<SqlName> TABLE = Option.required("table", SqlName::table);
    public static final Option<ColumnMapping> COLUMNS = Option.required("columns", ColumnMapping::parse);
    public static final Option<Boolean> CREATE_TABLE = Option.optional("create.table", false, Option::bool);
    public static final Option<String> DEDUP_COLUMN = Option.optional("dedup.column", null, SqlName::column);
    public static final Option<String> SUBSCRIPTION = Option.optional("subscription", null, Option::text);
    public static final Option<String> CLIENT_ID = Option.optional("client.id", null, Option::text);
    public static final Option<Integer> BATCH_SIZE = Option.optional("batch.size", 1000, Option::positiveInt);
    public static final Option<Duration> BATCH_TIMEOUT = Option.optional("batch.timeout", Duration.ofMillis(100),
            Option::duration);
    public static final Option<Duration> RETRY_MAX_DELAY = Option.optional("retry.max.delay", Duration.ofSeconds(10),
            Option::duration);

    public static final List<Option<?>> OPTIONS = List.of(CommonOptions.URL, CommonOptions.DESTINATION, JDBC_URL,
            JDBC_USER, JDBC_PASSWORD, TABLE, COLUMNS, CREATE_TABLE, DEDUP_COLUMN, SUBSCRIPTION, CLIENT_ID, BATCH_SIZE,
            BATCH_TIMEOUT, RETRY_MAX_DELAY);

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory factory;
    private final DestinationName destination;
    private final ColumnMapping mapping;
    private final TableWriter writer;
    private final String where;
    private final Counters counters = new Counters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread worker;
    private Connection connection;

    public JdbcSinkConnector(ConnectorSettings config, ConnectionFactory factory) {
        this.name = config.name();
        this.config = config;
        this.factory = factory;
        try {
            this.destination = DestinationName.parse(config.get(CommonOptions.DESTINATION));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": " + e.getMessage());
        }
        if (config.get(SUBSCRIPTION) != null && destination.queue()) {
            throw new IllegalArgumentException(config.key(SUBSCRIPTION) + ": a queue has no subscriptions");
        }
        this.mapping = config.get(COLUMNS);
        String dedup = config.get(DEDUP_COLUMN);
        if (dedup != null && mapping.column(dedup) == null) {
            throw new IllegalArgumentException(config.key(DEDUP_COLUMN) + ": " + dedup + " is not one of the columns "
                    + mapping);
        }
        String url = config.get(JDBC_URL);
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException(config.key(JDBC_URL) + ": not a JDBC URL (jdbc:...): " + url);
        }
        this.where = config.get(TABLE) + " at " + withoutParameters(url);
        this.writer = new TableWriter(url, config.get(JDBC_USER), config.get(JDBC_PASSWORD), config.get(TABLE),
                mapping, dedup == null ? null : mapping.column(dedup).name(), config.get(CREATE_TABLE));
    }

    /** The URL for log lines: without its parameters, which may hold a password. */
    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** Connects to the database and checks the table (throwing what is wrong), then starts consuming. */
    @Override
    public synchronized void start() throws SQLException {
        try {
            writer.open();
        } catch (SQLException e) {
            throw new SQLException(where + ": " + e.getMessage(), e.getSQLState(), e);
        }
        worker = new Thread(this::run, "jdbc-sink " + name);
        worker.start();
    }

    /** Waits until the sink's consumer exists (tests publish after this, or a non-durable subscriber misses it). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        long backoffMs = 0;
        while (running) {
            try {
                consume();
                backoffMs = 0;
            } catch (JMSException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + e + "; the uncommitted batch comes again");
                closeConnection();
                backoffMs = nextBackoff(backoffMs);
                if (!pause(backoffMs)) {
                    break;
                }
            }
        }
        closeConnection();
        writer.close();
    }

    /** Consumes batches until stopped or until the broker connection fails. */
    private void consume() throws JMSException {
        Connection c = factory.createConnection();
        connection = c;
        String subscription = config.get(SUBSCRIPTION);
        if (subscription != null) {
            String clientId = config.get(CLIENT_ID);
            c.setClientID(clientId != null ? clientId : "heraldmq-connect-" + name);
        }
        Session session = c.createSession(true, Session.SESSION_TRANSACTED);
        Destination d = destination.queue() ? session.createQueue(destination.name())
                : session.createTopic(destination.name());
        MessageConsumer consumer = subscription != null
                ? session.createDurableConsumer((Topic) d, subscription) : session.createConsumer(d);
        c.start();
        subscribed.countDown();
        int batchSize = config.get(BATCH_SIZE);
        long batchNanos = config.get(BATCH_TIMEOUT).toNanos();
        List<TableWriter.Row> rows = new ArrayList<>(batchSize);
        while (running) {
            Message first = consumer.receive(250);
            if (first == null) {
                continue;
            }
            rows.clear();
            int n = 0;
            long deadline = System.nanoTime() + batchNanos;
            for (Message m = first; m != null; ) {
                read(m, rows);
                if (++n >= batchSize) {
                    break;
                }
                long left = deadline - System.nanoTime();
                m = left <= 0 ? consumer.receiveNoWait() : consumer.receive(Math.max(1, left / 1_000_000));
            }
            if (!writeUntilDone(rows)) {
                return; // stopped while the database was failing: closing the connection rolls the batch back
            }
            session.commit();
            counters.acknowledged.addAndGet(n);
        }
    }

    /** Adds the message's row, or logs and counts a message that cannot be one. */
    private void read(Message m, List<TableWriter.Row> rows) throws JMSException {
        counters.recordsIn.incrementAndGet();
        try {
            rows.add(new TableWriter.Row(m.getJMSMessageID(), mapping.read(m)));
        } catch (UnmappableMessageException e) {
            refuse(m.getJMSMessageID(), e.getMessage());
        }
    }

    private void refuse(String messageId, String reason) {
        LOG.log(System.Logger.Level.WARNING, name + ": message " + messageId + " not written to " + where
                + ", dropped: " + reason);
        counters.dropped.incrementAndGet();
    }

    /**
     * Writes the batch, retrying on database failures with a growing pause; returns false if the connector was
     * stopped before the batch was written.
     */
    private boolean writeUntilDone(List<TableWriter.Row> rows) {
        long backoffMs = 0;
        while (true) {
            try {
                List<TableWriter.Refusal> refused = writer.write(rows);
                for (TableWriter.Refusal r : refused) {
                    refuse(r.row().messageId(), r.reason());
                }
                counters.published.addAndGet(rows.size() - refused.size());
                if (backoffMs > 0) {
                    LOG.log(System.Logger.Level.INFO, name + ": writing to " + where + " again");
                }
                return true;
            } catch (SQLException e) {
                counters.retried.incrementAndGet();
                backoffMs = nextBackoff(backoffMs);
                LOG.log(System.Logger.Level.WARNING, name + ": writing " + rows.size() + " rows to " + where
                        + " failed (" + describe(e) + "); the batch stays uncommitted on the broker and is written "
                        + "again in " + backoffMs + " ms");
                if (!pause(backoffMs)) {
                    return false;
                }
            }
        }
    }

    private static String describe(SQLException e) {
        return (e.getSQLState() != null ? "SQLState " + e.getSQLState() + ": " : "") + e.getMessage();
    }

    private long nextBackoff(long previousMs) {
        return Math.min(config.get(RETRY_MAX_DELAY).toMillis(), Math.max(FIRST_RETRY_MS, previousMs * 2));
    }

    /** Waits {@code ms} or until stopped; false if stopped. */
    private boolean pause(long ms) {
        try {
            stopSignal.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close(); // rolls back the batch under way, if any
            } catch (JMSException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, name + ": closing", e);
            }
        }
    }

    /**
     * Lets the batch under way finish (inserted, committed in the database, then in JMS) unless the database is
     * failing, in which case the batch is left to the broker; then closes both connections.
     */
    @Override
    public synchronized void stop() {
        if (worker == null || !running) {
            return;
        }
        running = false;
        stopSignal.countDown();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }
}
