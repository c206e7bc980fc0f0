package io.heraldmq.server.cluster;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Load and bookkeeping for the cluster fault tests: synchronous PERSISTENT producers that record, per send, when it
 * started, when it ended and whether the broker acknowledged it; consumers that drain a destination; and the checks
 * (lost, duplicated, out of order per key).
 * <p>
 * The client does not fail over by itself yet, so by default a producer that gets a {@link JMSException} closes its
 * connection and opens a new one to a broker its {@code target} names (the send that threw is <em>in doubt</em>: not
 * counted as acknowledged; a copy of it in the log is allowed). With {@code -Dclient.failover=true}
 * ({@link #CLIENT_FAILOVER}) producers instead connect once with every broker in the URL and leave recovery to the
 * client: the manual reconnect is then dead code to delete.
 */
final class ClusterLoad {
    /** Whether the client fails over by itself (client reconnect, issue in progress on another branch). */
    static final boolean CLIENT_FAILOVER = Boolean.parseBoolean(System.getProperty("client.failover", "true"));

    private ClusterLoad() {
    }

    /** Where a producer or consumer connects: a label for the records (e.g. "b1") and the URL. */
    record Target(String label, String url) {
    }

    /**
     * One send.
     *
     * @param startMs wall clock when send() was called, {@code endMs} when it returned or threw
     */
    record Send(String id, String key, int seq, String via, long startMs, long endMs, boolean acked, String error) {
    }

    /** One delivery, in the order a consumer got them. */
    record Received(String id, String key, int seq, String via, long sentAt, boolean redelivered) {
    }

    /** A synchronous PERSISTENT producer on its own thread, sending until stopped. */
    static final class Producer implements AutoCloseable {
        final String name;
        private final boolean topic;
        private final String destination;
        private final int keys;
        private final Supplier<Target> target;
        private final long requestTimeoutMs;
        private final List<Send> sends = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch stop = new CountDownLatch(1);
        private final Thread thread;
        private volatile int reconnects;
        private String padding = "";
        private long intervalNanos;

        /**
         * @param keys   messages carry JMSXGroupID {@code <name>-k<seq % keys>}, so order per key can be checked
         * @param target the broker to (re)connect to, asked at every connect; null when none is reachable now
         */
        Producer(String name, boolean topic, String destination, int keys, Supplier<Target> target,
                 long requestTimeoutMs) {
            this.name = name;
            this.topic = topic;
            this.destination = destination;
            this.keys = keys;
            this.target = target;
            this.requestTimeoutMs = requestTimeoutMs;
            this.thread = new Thread(this::run, "producer-" + name);
            this.thread.setDaemon(true);
        }

        /** Pads every body with {@code bytes} characters (to fill a disk faster). Before {@link #start()}. */
        Producer padding(int bytes) {
            this.padding = "x".repeat(bytes);
            return this;
        }

        /**
         * At most {@code perSecond} sends a second: a bounded load keeps the final consumption short and leaves the
         * brokers CPU to restart and catch up on a 2-core machine. Before {@link #start()}.
         */
        Producer rate(int perSecond) {
            this.intervalNanos = 1_000_000_000L / perSecond;
            return this;
        }

        Producer start() {
            thread.start();
            return this;
        }

        private void run() {
            int seq = 0;
            long nextSend = System.nanoTime();
            Connection connection = null;
            MessageProducer producer = null;
            Session session = null;
            Target via = null;
            while (stop.getCount() > 0) {
                if (connection == null) {
                    via = target.get();
                    if (via == null) {
                        pause();
                        continue;
                    }
                    try {
                        // reconnectTimeoutMs: a send waits for the request timeout plus a reconnect, and close()
                        // must find it ended within 2 x requestTimeoutMs + 10 s
                        connection = new HeraldConnectionFactory(via.url() + "?requestTimeout=" + requestTimeoutMs
                                + "&connectTimeout=2000&reconnectTimeoutMs=" + requestTimeoutMs).createConnection();
                        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        Destination d = topic ? session.createTopic(destination) : session.createQueue(destination);
                        producer = session.createProducer(d);
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    } catch (JMSException | RuntimeException e) {
                        errors.add(System.currentTimeMillis() + " connect " + via.label() + ": " + e);
                        closeQuietly(connection);
                        connection = null;
                        pause();
                        continue;
                    }
                }
                if (intervalNanos > 0) {
                    long wait = nextSend - System.nanoTime();
                    if (wait > 0) {
                        try {
                            stop.await(wait, TimeUnit.NANOSECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                        continue;
                    }
                    nextSend = Math.max(nextSend + intervalNanos, System.nanoTime() - 10 * intervalNanos);
                }
                String key = name + "-k" + (seq % keys);
                String id = name + "-" + seq;
                long start = System.currentTimeMillis();
                try {
                    TextMessage m = session.createTextMessage(id + padding);
                    m.setStringProperty("id", id);
                    m.setIntProperty("seq", seq);
                    m.setStringProperty("via", via.label());
                    m.setLongProperty("sentAt", start);
                    m.setStringProperty("JMSXGroupID", key);
                    producer.send(m);
                    sends.add(new Send(id, key, seq, via.label(), start, System.currentTimeMillis(), true, null));
                } catch (JMSException | RuntimeException e) {
                    long end = System.currentTimeMillis();
                    sends.add(new Send(id, key, seq, via.label(), start, end, false, e.toString()));
                    errors.add(end + " send " + id + " via " + via.label() + ": " + e);
                    if (!CLIENT_FAILOVER) {
                        // Manual failover: the connection may be to a dead or deposed broker; start over elsewhere.
                        closeQuietly(connection);
                        connection = null;
                        reconnects++;
                    }
                }
                seq++;
            }
            closeQuietly(connection);
        }

        /** Backs off between failed connects, ending early when stopped. */
        private void pause() {
            try {
                stop.await(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops sending; returns once the send in progress, if any, has ended. */
        @Override
        public void close() {
            stop.countDown();
            try {
                thread.join(2 * requestTimeoutMs + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new AssertionError("producer " + name + " did not stop: " + thread.getStackTrace()[0]);
            }
        }

        List<Send> sends() {
            synchronized (sends) {
                return new ArrayList<>(sends);
            }
        }

        List<Send> acked() {
            return sends().stream().filter(Send::acked).toList();
        }

        long ackedCount() {
            return sends().stream().filter(Send::acked).count();
        }

        List<String> errors() {
            synchronized (errors) {
                return new ArrayList<>(errors);
            }
        }

        int reconnects() {
            return reconnects;
        }

        /** The first acknowledged send that started at or after {@code ms}, or null. */
        Send firstAckStartedAfter(long ms) {
            return sends().stream().filter(s -> s.acked() && s.startMs() >= ms).findFirst().orElse(null);
        }

        /** The sends around {@code ms}: the last one started before it and the first two after, for a report. */
        String sendsAround(long ms) {
            List<Send> all = sends();
            int first = 0;
            while (first < all.size() && all.get(first).startMs() < ms) {
                first++;
            }
            StringBuilder out = new StringBuilder(name + ":");
            for (int i = Math.max(0, first - 1); i < Math.min(all.size(), first + 2); i++) {
                Send x = all.get(i);
                out.append(' ').append(x.id()).append(" via ").append(x.via()).append(" started ")
                        .append(x.startMs() - ms).append(" ms took ").append(x.endMs() - x.startMs()).append(" ms")
                        .append(x.acked() ? "" : " failed").append(';');
            }
            return out.toString();
        }
    }

    /**
     * A queue consumer on its own thread, AUTO_ACKNOWLEDGE, reconnecting by itself (unless {@link #CLIENT_FAILOVER})
     * to the broker {@code target} names when the connection fails; records every delivery.
     */
    static final class Consumer implements AutoCloseable {
        private final String queue;
        private final Supplier<Target> target;
        private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch stop = new CountDownLatch(1);
        private final Thread thread;

        Consumer(String queue, Supplier<Target> target) {
            this.queue = queue;
            this.target = target;
            this.thread = new Thread(this::run, "consumer-" + queue);
            this.thread.setDaemon(true);
        }

        Consumer start() {
            thread.start();
            return this;
        }

        private void run() {
            Connection connection = null;
            MessageConsumer consumer = null;
            java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
            while (stop.getCount() > 0) {
                try {
                    if (connection == null) {
                        Target via = target.get();
                        if (via == null) {
                            stop.await(200, TimeUnit.MILLISECONDS);
                            continue;
                        }
                        connection = new HeraldConnectionFactory(via.url() + "?requestTimeout=5000&connectTimeout=2000")
                                .createConnection();
                        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
                        broken = lost;
                        connection.setExceptionListener(e -> {
                            errors.add(System.currentTimeMillis() + " listener: " + e);
                            lost.set(true);
                        });
                        connection.start();
                        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        consumer = s.createConsumer(s.createQueue(queue));
                    }
                    Message m = consumer.receive(200);
                    if (m != null) {
                        received.add(ClusterLoad.received(m));
                    } else if (broken.get() && !CLIENT_FAILOVER) {
                        // The connection died without receive() throwing: start over elsewhere.
                        closeQuietly(connection);
                        connection = null;
                    }
                } catch (JMSException | RuntimeException e) {
                    errors.add(System.currentTimeMillis() + " consumer: " + e);
                    // The consumer is finished (even with client failover, when subscribing again was refused): an
                    // application starts over, after a pause, rather than call receive() on it in a loop.
                    closeQuietly(connection);
                    connection = null;
                    try {
                        stop.await(200, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closeQuietly(connection);
        }

        @Override
        public void close() {
            stop.countDown();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<Received> received() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }

        List<String> errors() {
            synchronized (errors) {
                return new ArrayList<>(errors);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException ignored) {
                // the broker is gone; nothing to release there
            }
        }
    }

    private static Received received(Message m) throws JMSException {
        return new Received(m.getStringProperty("id"), m.getStringProperty("JMSXGroupID"), m.getIntProperty("seq"),
                m.getStringProperty("via"), m.getLongProperty("sentAt"), m.getJMSRedelivered());
    }

    /**
     * Receives from a queue, or from a durable subscription when {@code subscription} is not null, until nothing comes
     * for {@code quietMs} (the first message may take {@code firstMs}).
     */
    static List<Received> drain(String url, boolean topic, String destination, String clientId, String subscription,
                                long firstMs, long quietMs) throws JMSException {
        List<Received> out = new ArrayList<>();
        HeraldConnectionFactory f = new HeraldConnectionFactory(url + "?requestTimeout=15000");
        try (Connection c = f.createConnection()) {
            if (clientId != null) {
                c.setClientID(clientId);
            }
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = topic
                    ? s.createDurableConsumer(s.createTopic(destination), subscription)
                    : s.createConsumer(s.createQueue(destination));
            while (true) {
                Message m = consumer.receive(out.isEmpty() ? firstMs : quietMs);
                if (m == null) {
                    return out;
                }
                out.add(received(m));
            }
        }
    }

    /** What a queue browser shows: every stored, unconsumed copy. */
    static List<Received> browse(String url, String queue) throws JMSException {
        List<Received> out = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url + "?requestTimeout=15000").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                Enumeration<?> e = b.getEnumeration();
                while (e.hasMoreElements()) {
                    out.add(received((Message) e.nextElement()));
                }
            }
        }
        return out;
    }

    /** Creates durable subscriptions (and closes their consumers) so they retain everything sent from now on. */
    static void subscribe(String url, String topic, String clientId, String subscription) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(url + "?requestTimeout=15000").createConnection()) {
            c.setClientID(clientId);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic(topic), subscription).close();
        }
    }

    /** Acknowledged ids not among {@code got}. */
    static List<String> lost(List<Send> acked, List<Received> got) {
        Set<String> ids = got.stream().map(Received::id).collect(Collectors.toSet());
        return acked.stream().map(Send::id).filter(id -> !ids.contains(id)).toList();
    }

    /** How many deliveries repeat an id delivered before (n copies count n - 1). */
    static int duplicates(List<Received> got) {
        Set<String> seen = new HashSet<>();
        int dups = 0;
        for (Received r : got) {
            if (!seen.add(r.id())) {
                dups++;
            }
        }
        return dups;
    }

    /**
     * Keys whose first deliveries are not in send order, with the first offending pair. Only first deliveries count:
     * a redelivery after a failover repeats an earlier message by design.
     */
    static Map<String, String> orderViolations(List<Received> got) {
        Map<String, Integer> last = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, String> bad = new LinkedHashMap<>();
        for (Received r : got) {
            if (!seen.add(r.id())) {
                continue;
            }
            Integer before = last.put(r.key(), r.seq());
            if (before != null && before > r.seq()) {
                bad.putIfAbsent(r.key(), r.seq() + " after " + before);
            }
        }
        return bad;
    }
}
