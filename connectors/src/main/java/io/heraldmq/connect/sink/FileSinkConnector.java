package io.heraldmq.connect.sink;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.Option;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code file-sink}: consumes {@code destination} (a queue, or a topic through the durable subscription
 * {@code subscription} under client id {@code client.id}; a topic without one gets a non-durable subscriber and
 * misses what is published while the sink is down) in a transacted session and writes one line per message to
 * rolling files ({@link RollingFileWriter}). A batch (up to {@code batch.size} messages, or what arrived within
 * {@code batch.timeout}) is written, forced to disk, and only then committed: after a crash at any point every
 * committed message is in a file, and at most the one batch under way is written twice.
 * <p>
 * A TextMessage's text is written, a BytesMessage's body decoded as UTF-8; any other message is skipped with a
 * log line and counted as dropped. When a write fails (disk full), the batch is rolled back and tried again after a
 * pause; note that each rollback counts as a delivery attempt at the broker, so a long outage can move messages to
 * the dead-letter queue ({@code max.delivery.attempts}).
 */
public final class FileSinkConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(FileSinkConnector.class.getName());

    public static final Option<String> DIRECTORY = Option.required("directory", Option::text);
    public static final Option<String> FILE_PREFIX = Option.optional("file.prefix", null, Option::text);
    public static final Option<String> SUBSCRIPTION = Option.optional("subscription", null, Option::text);
    public static final Option<String> CLIENT_ID = Option.optional("client.id", null, Option::text);
    public static final Option<Long> ROLL_BYTES = Option.optional("roll.bytes", 128L * 1024 * 1024, Option::bytes);
    public static final Option<Duration> ROLL_INTERVAL = Option.optional("roll.interval", Duration.ofHours(1),
            Option::duration);
    public static final Option<Integer> BATCH_SIZE = Option.optional("batch.size", 1000, Option::positiveInt);
    public static final Option<Duration> BATCH_TIMEOUT = Option.optional("batch.timeout", Duration.ofMillis(100),
            Option::duration);

    public static final List<Option<?>> OPTIONS = List.of(CommonOptions.URL, CommonOptions.DESTINATION, DIRECTORY,
            FILE_PREFIX, SUBSCRIPTION, CLIENT_ID, ROLL_BYTES, ROLL_INTERVAL, BATCH_SIZE, BATCH_TIMEOUT);

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory factory;
    private final DestinationName destination;
    private final RollingFileWriter writer;
    private final Counters counters = new Counters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread worker;
    private Connection connection;

    public FileSinkConnector(ConnectorSettings config, ConnectionFactory factory) {
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
        String prefix = config.get(FILE_PREFIX);
        this.writer = new RollingFileWriter(Path.of(config.get(DIRECTORY)), prefix != null ? prefix : name,
                config.get(ROLL_BYTES), config.get(ROLL_INTERVAL), Clock.systemUTC());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public synchronized void start() {
        worker = new Thread(this::run, "file-sink " + name);
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
            } catch (JMSException | IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + e + "; the uncommitted batch comes again");
                closeConnection();
                backoffMs = Math.min(5000, Math.max(100, backoffMs * 2));
                try {
                    stopSignal.await(backoffMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        closeConnection();
    }

    /** Consumes batches until stopped or until something fails. */
    private void consume() throws JMSException, IOException {
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
        while (running) {
            Message first = consumer.receive(250);
            if (first == null) {
                writer.rollIfDue();
                continue;
            }
            int n = 0;
            long deadline = System.nanoTime() + batchNanos;
            for (Message m = first; m != null; ) {
                write(m);
                if (++n >= batchSize) {
                    break;
                }
                long left = deadline - System.nanoTime();
                m = left <= 0 ? consumer.receiveNoWait() : consumer.receive(Math.max(1, left / 1_000_000));
            }
            try {
                writer.sync();
            } catch (IOException e) {
                session.rollback();
                throw e;
            }
            session.commit();
            counters.acknowledged.addAndGet(n);
            writer.rollIfDue();
        }
    }

    private void write(Message m) throws JMSException, IOException {
        counters.recordsIn.incrementAndGet();
        String text;
        if (m instanceof TextMessage t) {
            text = t.getText();
        } else if (m instanceof BytesMessage b) {
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            text = new String(body, StandardCharsets.UTF_8);
        } else {
            LOG.log(System.Logger.Level.WARNING, name + ": message " + m.getJMSMessageID()
                    + " is neither a TextMessage nor a BytesMessage; skipped");
            counters.dropped.incrementAndGet();
            return;
        }
        writer.write(text == null ? "" : text);
        counters.published.incrementAndGet();
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

    /** Lets the batch under way finish (written, synced, committed), then closes the files and the connection. */
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
        try {
            writer.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing " + writer.current() + ": " + e);
        }
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }
}
