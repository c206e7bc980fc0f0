package io.heraldmq.connect.http;

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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http-sink}: consumes {@code destination} (a queue, or a topic through the durable subscription
 * {@code subscription} under client id {@code client.id}; without one a topic gets a non-durable subscriber) in a
 * transacted session and POSTs batches to {@code endpoint} ({@link HttpTarget}) as NDJSON or in the {@code _bulk}
 * format ({@link BatchEncoder}). A batch is up to {@code batch.size} messages or {@code batch.bytes}, or what arrived
 * within {@code batch.timeout}.
 * <p>
 * <b>At-least-once.</b> The transaction is committed only after the endpoint took the batch. A failed POST (no
 * answer, not 2xx, a {@code _bulk} answer with errors) is sent again, the same bytes, after {@code retry.backoff}
 * doubling up to {@code retry.backoff.max}, while the transaction stays open, so an outage of the endpoint costs no
 * redelivery count at the broker. After {@code retry.max} failed attempts (unlimited by default) the transaction is
 * rolled back: the broker delivers the batch again, and, as for any rollback, after {@code max.delivery.attempts}
 * moves it to the dead-letter queue, which is how a batch the endpoint refuses for good stops holding up the rest. A
 * stop while a batch is failing rolls it back too. Nothing is ever committed that the endpoint did not take; a batch
 * the endpoint took but whose commit was lost (crash, broker outage) is sent again.
 * <p>
 * A TextMessage's text is sent, a BytesMessage's body as UTF-8; any other message is skipped with a log line and
 * counted as dropped.
 */
public final class HttpSinkConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(HttpSinkConnector.class.getName());

    public static final Option<URI> ENDPOINT = Option.required("endpoint", HttpSinkConnector::endpoint);
    public static final Option<BatchEncoder.Format> FORMAT = Option.optional("format", BatchEncoder.Format.NDJSON,
            Option.oneOf(BatchEncoder.Format.class));
    /** The {@code _index} of {@code format = bulk}; the destination's name by default. */
    public static final Option<String> INDEX = Option.optional("index", null, Option::text);
    public static final Option<String> TOKEN = Option.optional("token", null, Option::text);
    /** Extra request headers: {@code Name: value} pairs separated by {@code ;}. */
    public static final Option<Map<String, String>> HEADERS = Option.optional("headers", Map.of(),
            HttpSinkConnector::headers);
    public static final Option<Duration> TIMEOUT = Option.optional("timeout", Duration.ofSeconds(10),
            Option::duration);
    public static final Option<Duration> RETRY_BACKOFF = Option.optional("retry.backoff", Duration.ofMillis(100),
            Option::duration);
    public static final Option<Duration> RETRY_BACKOFF_MAX = Option.optional("retry.backoff.max",
            Duration.ofSeconds(30), Option::duration);
    /** Failed attempts before the batch is rolled back; unlimited when not given. */
    public static final Option<Integer> RETRY_MAX = Option.optional("retry.max", null, Option::positiveInt);
    public static final Option<String> SUBSCRIPTION = Option.optional("subscription", null, Option::text);
    public static final Option<String> CLIENT_ID = Option.optional("client.id", null, Option::text);
    public static final Option<Integer> BATCH_SIZE = Option.optional("batch.size", 1000, Option::positiveInt);
    public static final Option<Long> BATCH_BYTES = Option.optional("batch.bytes", 8L * 1024 * 1024, Option::bytes);
    public static final Option<Duration> BATCH_TIMEOUT = Option.optional("batch.timeout", Duration.ofMillis(100),
            Option::duration);

    public static final List<Option<?>> OPTIONS = List.of(CommonOptions.URL, CommonOptions.DESTINATION, ENDPOINT,
            FORMAT, INDEX, TOKEN, HEADERS, TIMEOUT, RETRY_BACKOFF, RETRY_BACKOFF_MAX, RETRY_MAX, SUBSCRIPTION,
            CLIENT_ID, BATCH_SIZE, BATCH_BYTES, BATCH_TIMEOUT);

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory factory;
    private final DestinationName destination;
    private final HttpTarget target;
    private final String index;
    private final Counters counters = new Counters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread worker;
    private Connection connection;

    public HttpSinkConnector(ConnectorSettings config, ConnectionFactory factory) {
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
        if (config.get(INDEX) != null && config.get(FORMAT) != BatchEncoder.Format.BULK) {
            throw new IllegalArgumentException(config.key(INDEX) + ": only with format = bulk");
        }
        this.index = config.get(INDEX) != null ? config.get(INDEX) : destination.name();
        Map<String, String> h = new LinkedHashMap<>(config.get(HEADERS));
        if (config.get(TOKEN) != null) {
            h.put("Authorization", "Bearer " + config.get(TOKEN));
        }
        try {
            this.target = new HttpTarget(config.get(ENDPOINT), h, config.get(TIMEOUT),
                    config.get(FORMAT) == BatchEncoder.Format.BULK);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(HEADERS) + ": " + e.getMessage());
        }
    }

    static URI endpoint(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not http://HOST:PORT/PATH or https://...: " + text);
        }
        if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))
                || u.getHost() == null) {
            throw new IllegalArgumentException("not http://HOST:PORT/PATH or https://...: " + text);
        }
        return u;
    }

    static Map<String, String> headers(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon <= 0 || part.substring(0, colon).isBlank()) {
                throw new IllegalArgumentException("not Name: value: " + part.trim());
            }
            m.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
        }
        return Map.copyOf(m);
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
        worker = new Thread(this::run, "http-sink " + name);
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
                    break;
                }
            } catch (InterruptedException e) {
                break; // stop gave up waiting for the endpoint
            }
        }
        closeConnection();
    }

    /** Consumes batches until stopped or until something fails. */
    private void consume() throws JMSException, IOException, InterruptedException {
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
        long batchBytes = config.get(BATCH_BYTES);
        long batchNanos = config.get(BATCH_TIMEOUT).toNanos();
        while (running) {
            Message first = consumer.receive(250);
            if (first == null) {
                continue;
            }
            BatchEncoder batch = new BatchEncoder(config.get(FORMAT), index);
            int n = 0;
            long deadline = System.nanoTime() + batchNanos;
            for (Message m = first; m != null; ) {
                add(batch, m);
                if (++n >= batchSize || batch.size() >= batchBytes) {
                    break;
                }
                long left = deadline - System.nanoTime();
                m = left <= 0 ? consumer.receiveNoWait() : consumer.receive(Math.max(1, left / 1_000_000));
            }
            if (batch.count() > 0 && !deliver(batch.toBytes(), batch.count())) {
                session.rollback();
                continue;
            }
            session.commit();
            counters.acknowledged.addAndGet(n);
        }
    }

    private void add(BatchEncoder batch, Message m) throws JMSException {
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
        batch.add(text == null ? "" : text, m.getJMSMessageID());
    }

    /**
     * POSTs the batch until the endpoint takes it (true), or until the sink stops or {@code retry.max} attempts
     * failed (false: the caller rolls back).
     */
    private boolean deliver(byte[] body, int count) throws InterruptedException {
        long backoffMs = config.get(RETRY_BACKOFF).toMillis();
        long maxBackoffMs = config.get(RETRY_BACKOFF_MAX).toMillis();
        Integer retryMax = config.get(RETRY_MAX);
        for (int attempt = 1; ; attempt++) {
            String failure = target.post(body);
            if (failure == null) {
                counters.published.addAndGet(count);
                return true;
            }
            boolean giveBack = !running || (retryMax != null && attempt >= retryMax);
            LOG.log(System.Logger.Level.WARNING, name + ": POST of " + count + " message(s) to " + target.endpoint()
                    + " failed (attempt " + attempt + "): " + failure + (giveBack
                    ? "; rolled back, the broker delivers them again" : "; again in " + backoffMs + " ms"));
            if (giveBack) {
                return false;
            }
            if (stopSignal.await(backoffMs, TimeUnit.MILLISECONDS)) {
                return false; // stopping: roll back rather than keep the stop waiting
            }
            counters.retried.addAndGet(count);
            backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
        }
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
     * Lets the batch under way finish if its POST succeeds (committed), rolls it back if the endpoint is failing, then
     * closes the connection. A POST still under way after 30 s (longer than {@code timeout}) is interrupted.
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
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }
}
