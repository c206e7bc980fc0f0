package io.heraldmq.connect.jms;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.JndiConnectionFactories;
import io.heraldmq.connect.Option;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code jms} source, a bridge: consumes {@code source.destination} on another JMS broker, of any provider,
 * whose connection factory JNDI finds ({@code source.jndi.*}, {@code source.connection.factory}, optionally
 * {@code source.classpath}), and publishes every message, copied by {@link MessageCopier}, to {@code destination}
 * (a template over {@code ${type}} = {@code JMSType} and {@code ${group}} = {@code JMSXGroupID}) on the target
 * broker, PERSISTENT, with the source's priority and remaining time to live.
 * <p>
 * <b>At-least-once.</b> One worker thread owns both connections. On the source a transacted session consumes the
 * queue, or the topic through the durable subscription {@code source.subscription} (client id
 * {@code source.client.id}, default {@code heraldmq-connect-<name>}), with {@code source.selector}; on the target a
 * transacted session sends. A batch (up to {@code batch.size} messages, or what arrived within
 * {@code batch.timeout} of its first) is sent and <em>committed on the target first</em>; only once that commit
 * returned, when the target holds the whole batch, is the source session committed. A crash ({@code kill -9}) or a
 * lost connection before the target's commit publishes nothing (the source delivers the batch again); one between
 * the two commits publishes that batch twice. So nothing the target acknowledged is lost, and each failure costs
 * at most one batch of duplicates, recognisable by {@code heraldmq_source_message_id}.
 * <p>
 * A transacted target session rather than the sources' {@code Publisher}: a source's JMS transaction covers every
 * message its session received, so the source can only be committed per batch, once the target has all of it; one
 * target commit per source commit says exactly that, on the one thread a JMS session allows, where the publisher
 * would hand each batch to its own thread and wait. The copy must also be made by the target's session for every
 * body type and header, where the publisher builds TextMessages; and a HeraldMQ transaction sends its messages
 * together at commit, the cheapest way to move a batch.
 * <p>
 * <b>Backpressure.</b> The next batch is received only after the last is committed on both sides, so a slow or
 * full target stops consumption. The bridge holds one batch, plus what the source's provider prefetches for its
 * consumer (that provider's own bound, e.g. Artemis's {@code consumerWindowSize}).
 * <p>
 * <b>Failures.</b> Any failure on either side (an exception, a report to a connection's ExceptionListener) closes
 * both connections, which rolls the source's batch back, and opens them again after a back-off of 100 ms doubling
 * to 5 s. The next as many messages as the failed batch held then go one per transaction: a message the target
 * refuses on its own (too large for it, say) fails alone, and the source broker's redelivery policy (its maximum
 * delivery attempts and dead-letter queue) takes care of it without redelivering its batch-mates with it. An
 * ObjectMessage is not bridged: it is logged, counted as dropped and committed with its batch.
 */
public final class JmsSourceConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(JmsSourceConnector.class.getName());
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final int MAX_CACHED_DESTINATIONS = 1024;

    public static final Option<DestinationName> SOURCE_DESTINATION = Option.required("source.destination",
            DestinationName::parse);
    public static final Option<String> SOURCE_SUBSCRIPTION = Option.optional("source.subscription", null,
            Option::text);
    public static final Option<String> SOURCE_CLIENT_ID = Option.optional("source.client.id", null, Option::text);
    public static final Option<String> SOURCE_SELECTOR = Option.optional("source.selector", null, Option::text);
    public static final Option<Map<String, String>> SOURCE_JNDI = Option.prefixed("source.jndi.");
    public static final Option<String> SOURCE_CONNECTION_FACTORY = Option.optional("source.connection.factory",
            "ConnectionFactory", Option::text);
    public static final Option<List<Path>> SOURCE_CLASSPATH = Option.optional("source.classpath", List.of(),
            Option::paths);
    public static final Option<String> SOURCE_USER = Option.optional("source.user", null, Option::text);
    public static final Option<String> SOURCE_PASSWORD = Option.optional("source.password", null, s -> s);
    public static final Option<Integer> BATCH_SIZE = Option.optional("batch.size", 1000, Option::positiveInt);
    public static final Option<Duration> BATCH_TIMEOUT = Option.optional("batch.timeout", Duration.ofMillis(100),
            Option::duration);

    public static final List<Option<?>> OPTIONS = List.of(CommonOptions.URL, CommonOptions.DESTINATION,
            SOURCE_DESTINATION, SOURCE_SUBSCRIPTION, SOURCE_CLIENT_ID, SOURCE_SELECTOR, SOURCE_JNDI,
            SOURCE_CONNECTION_FACTORY, SOURCE_CLASSPATH, SOURCE_USER, SOURCE_PASSWORD, BATCH_SIZE, BATCH_TIMEOUT);

    private final String name;
    private final ConnectionFactory sourceFactory;
    private final ConnectionFactory targetFactory;
    private final DestinationName sourceDestination;
    private final DestinationTemplate destination;
    private final String destinationText;
    private final String subscription;
    private final String clientId;
    private final String selector;
    private final String user;
    private final String password;
    private final int batchSize;
    private final long batchNanos;
    private final MessageCopier copier;
    private final Counters counters = new Counters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Messages received in the batch under way (the lag). */
    private volatile int inBatch;
    /** A failure reported to either connection's ExceptionListener since they were opened. */
    private volatile Exception connectionFailure;
    /** Counts the openings of the connections, so a late report about closed ones is ignored. */
    private final AtomicInteger opening = new AtomicInteger();
    private Thread worker;

    // Worker thread only.
    private Connection source;
    private Connection target;
    private final Map<DestinationName, Destination> targetDestinations = new HashMap<>();
    /** Messages still to be taken one per transaction after a failed batch. */
    private int isolate;
    /** The pause before the next reconnection; back to 0 once a batch went through. */
    private long backoffMs;

    /** @param targetFactory the broker the messages go to */
    public JmsSourceConnector(ConnectorSettings config, ConnectionFactory targetFactory) {
        this.name = config.name();
        this.targetFactory = targetFactory;
        try {
            this.destination = DestinationTemplate.parse(config.get(CommonOptions.DESTINATION),
                    Set.of("type", "group"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": " + e.getMessage());
        }
        this.destinationText = config.get(CommonOptions.DESTINATION);
        this.sourceDestination = config.get(SOURCE_DESTINATION);
        this.subscription = config.get(SOURCE_SUBSCRIPTION);
        if (subscription != null && sourceDestination.queue()) {
            throw new IllegalArgumentException(config.key(SOURCE_SUBSCRIPTION) + ": a queue has no subscriptions");
        }
        String id = config.get(SOURCE_CLIENT_ID);
        this.clientId = id != null ? id : subscription != null ? "heraldmq-connect-" + name : null;
        this.selector = config.get(SOURCE_SELECTOR);
        this.user = config.get(SOURCE_USER);
        this.password = config.get(SOURCE_PASSWORD);
        if (password != null && user == null) {
            throw new IllegalArgumentException(config.key(SOURCE_PASSWORD) + " needs " + config.key(SOURCE_USER));
        }
        this.batchSize = config.get(BATCH_SIZE);
        this.batchNanos = config.get(BATCH_TIMEOUT).toNanos();
        if (config.get(SOURCE_JNDI).isEmpty()) {
            throw new IllegalArgumentException("missing keys " + config.key(SOURCE_JNDI)
                    + "*: the source broker's JNDI environment (e.g. " + config.key(SOURCE_JNDI)
                    + "java.naming.factory.initial)");
        }
        this.sourceFactory = JndiConnectionFactories.lookup(config, SOURCE_JNDI, SOURCE_CONNECTION_FACTORY,
                SOURCE_CLASSPATH);
        this.copier = new MessageCopier(name);
        counters.lag(() -> inBatch);
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
        worker = new Thread(this::run, "jms source " + name);
        worker.start();
    }

    /** Waits until the source's consumer exists the first time (a durable subscription then keeps what comes). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (running) {
            try {
                bridge();
            } catch (JMSException | RuntimeException e) {
                int lost = inBatch;
                inBatch = 0;
                counters.retried.addAndGet(lost);
                isolate = Math.max(isolate, lost);
                LOG.log(System.Logger.Level.WARNING, name + ": " + e + "; reconnecting, and the source delivers "
                        + "the uncommitted batch (" + lost + " messages) again");
                closeConnections();
                backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
                try {
                    stopSignal.await(backoffMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        closeConnections();
    }

    /** Opens both sides, then moves batches until stopped or until something fails. */
    private void bridge() throws JMSException {
        int current = opening.incrementAndGet();
        connectionFailure = null;
        ExceptionListener failed = e -> {
            if (opening.get() == current) {
                connectionFailure = e;
            }
        };
        Connection s = user != null ? sourceFactory.createConnection(user, password)
                : sourceFactory.createConnection();
        source = s;
        if (clientId != null) {
            s.setClientID(clientId);
        }
        s.setExceptionListener(failed);
        Session sourceSession = s.createSession(true, Session.SESSION_TRANSACTED);
        Destination from = sourceDestination.queue() ? sourceSession.createQueue(sourceDestination.name())
                : sourceSession.createTopic(sourceDestination.name());
        MessageConsumer consumer = subscription != null
                ? sourceSession.createDurableConsumer((Topic) from, subscription, selector, false)
                : sourceSession.createConsumer(from, selector);

        Connection t = targetFactory.createConnection();
        target = t;
        t.setExceptionListener(failed);
        Session targetSession = t.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = targetSession.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        s.start();
        subscribed.countDown();
        LOG.log(System.Logger.Level.INFO, name + ": bridging " + sourceDestination + " into " + destinationText);

        while (running) {
            checkConnections();
            Message first = consumer.receive(250);
            if (first == null) {
                continue;
            }
            int limit = isolate > 0 ? 1 : batchSize;
            long deadline = System.nanoTime() + batchNanos;
            int received = 0;
            int sent = 0;
            for (Message m = first; m != null; ) {
                inBatch = ++received;
                counters.recordsIn.incrementAndGet();
                if (forward(m, targetSession, producer)) {
                    sent++;
                }
                if (received >= limit) {
                    break;
                }
                long left = deadline - System.nanoTime();
                m = left <= 0 ? consumer.receiveNoWait() : consumer.receive(Math.max(1, left / 1_000_000));
            }
            checkConnections();
            targetSession.commit(); // the target holds the whole batch...
            counters.acknowledged.addAndGet(sent);
            sourceSession.commit(); // ...so the source may forget it
            inBatch = 0;
            isolate = Math.max(0, isolate - received);
            backoffMs = 0;
        }
    }

    /** Sends the copy of {@code m} in the target's transaction; false if it is not bridged (an ObjectMessage). */
    private boolean forward(Message m, Session targetSession, MessageProducer producer) throws JMSException {
        Message copy = copier.copy(m, targetSession);
        if (copy == null) {
            LOG.log(System.Logger.Level.WARNING, name + ": message " + m.getJMSMessageID() + " is an ObjectMessage, "
                    + "which is not bridged (it would be deserialized here); dropped");
            counters.dropped.incrementAndGet();
            return false;
        }
        String type = m.getJMSType();
        Object group = m.getObjectProperty(MessageCopier.GROUP_ID);
        DestinationName to = destination.render(f -> f.equals("type") ? type : group);
        int priority = m.getJMSPriority();
        if (priority < 0 || priority > 9) {
            priority = Message.DEFAULT_PRIORITY;
        }
        long expiration = m.getJMSExpiration();
        long timeToLive = expiration == 0 ? Message.DEFAULT_TIME_TO_LIVE
                : Math.max(1, expiration - System.currentTimeMillis());
        producer.send(targetDestination(to, targetSession), copy, DeliveryMode.PERSISTENT, priority, timeToLive);
        counters.published.incrementAndGet();
        return true;
    }

    private Destination targetDestination(DestinationName d, Session session) throws JMSException {
        Destination found = targetDestinations.get(d);
        if (found == null) {
            if (targetDestinations.size() >= MAX_CACHED_DESTINATIONS) {
                targetDestinations.clear();
            }
            found = d.queue() ? session.createQueue(d.name()) : session.createTopic(d.name());
            targetDestinations.put(d, found);
        }
        return found;
    }

    private void checkConnections() throws JMSException {
        Exception failure = connectionFailure;
        if (failure != null) {
            JMSException e = new JMSException("connection lost: " + failure);
            e.setLinkedException(failure);
            throw e;
        }
    }

    private void closeConnections() {
        targetDestinations.clear();
        for (Connection c : new Connection[] {source, target}) {
            if (c != null) {
                try {
                    c.close(); // the source's rolls back the batch under way, if any
                } catch (JMSException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, name + ": closing", e);
                }
            }
        }
        source = null;
        target = null;
    }

    /** Lets the batch under way finish (committed on both sides), then closes both connections. */
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
