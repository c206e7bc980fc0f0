package io.heraldmq.server;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.message.HeraldMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety of PERSISTENT sends: the packaged broker runs as a real process, several producers send sequence-
 * numbered messages, and the process is killed with SIGKILL mid-stream ({@link Process#destroyForcibly} is SIGKILL on
 * Linux: no shutdown hook, no flush, no clean-shutdown marker). After a restart on the same data directory, every
 * send that returned (the broker acknowledged it after its fsync) must be there exactly once, intact, and in each
 * producer's order within its partition. The one send per producer in flight at the kill may or may not be there.
 * <p>
 * SIGKILL leaves written data in the page cache, so this exercises the write path, the recovery scan (torn and
 * preallocated tails, segments rolled just before the crash, the recovery point) and the metadata store, not the
 * fsync itself; a power cut is beyond a test.
 * <p>
 * A failing case keeps its directory (broker output, the data directory, and {@code data-as-killed}, a copy taken
 * right after the kill, to replay the recovery with).
 */
class CrashRecoveryIT {
    private static final int PRODUCERS = 3;

    /**
     * @param queue        a queue (one partition) rather than a three-partition topic with a durable subscription
     * @param killAfter    acknowledged sends (over all producers) before the kill
     * @param segmentBytes {@code log.segment.bytes}; small values roll a segment every few messages
     * @param killDuringRestart kill the first restart too, right after it recovered the partition
     */
    record KillPoint(String name, boolean queue, int killAfter, long segmentBytes, boolean killDuringRestart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KillPoint> killPoints() {
        return Stream.of(
                new KillPoint("topic, after a few acks", false, 5, 64L << 20, false),
                new KillPoint("topic, after thousands of acks", false, 2500, 64L << 20, false),
                new KillPoint("topic, 8 KiB segments rolling every few messages", false, 600, 8192, false),
                new KillPoint("queue, 16 KiB segments rolling every few messages", true, 400, 16384, false),
                new KillPoint("queue, killed again during the restart's recovery", true, 300, 16384, true));
    }

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        BrokerProcess.jar();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("killPoints")
    void everyAcknowledgedSendSurvivesSigkill(KillPoint point, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path config = dir.resolve("broker.properties");
        Properties p = new Properties();
        p.setProperty("log.segment.bytes", Long.toString(point.segmentBytes()));
        p.setProperty("topic.default.partitions", "3");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, null);
        }
        Path data = dir.resolve("data");

        BrokerProcess first = BrokerProcess.start(config, data, dir.resolve("broker-1.out"));
        processes.add(first.process());
        String url = "tcp://127.0.0.1:" + first.port()
                + "?clientID=crash-reader&requestTimeout=20000&reconnectTimeoutMs=0";
        if (!point.queue()) {
            // the durable subscription exists before the first send, so it must see every message
            try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("crash"), "all").close();
            }
        }

        AtomicLong acked = new AtomicLong();
        List<SendingProducer> producers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            // without failover: a producer must stop at the kill, with the send in flight in doubt
            producers.add(new SendingProducer(i, "tcp://127.0.0.1:" + first.port() + "?reconnectTimeoutMs=0",
                    point.queue(), acked));
        }
        producers.forEach(SendingProducer::start);
        await("acknowledged sends").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> acked.get() >= point.killAfter() || producers.stream().anyMatch(SendingProducer::died));
        for (SendingProducer producer : producers) {
            assertFalse(producer.died(), "producer " + producer.id + " failed before the kill: "
                    + producer.failure.get());
        }
        first.process().destroyForcibly();
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "killed broker did not exit");
        for (SendingProducer producer : producers) {
            producer.join(30_000);
            assertFalse(producer.isAlive(), "producer " + producer.id + " is still sending after the kill");
        }
        assertTrue(acked.get() >= point.killAfter(), "only " + acked.get() + " sends acknowledged");
        copyTree(data, dir.resolve("data-as-killed"));

        if (point.killDuringRestart()) {
            killDuringRecovery(config, data, dir.resolve("broker-restart-killed.out"));
        }
        BrokerProcess second = BrokerProcess.start(config, data, dir.resolve("broker-2.out"));
        processes.add(second.process());
        String url2 = "tcp://127.0.0.1:" + second.port()
                + "?clientID=crash-reader&requestTimeout=20000&reconnectTimeoutMs=0";
        try (Connection c = new HeraldConnectionFactory(url2).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination destination = point.queue() ? s.createQueue("crash") : s.createTopic("crash");
            MessageConsumer consumer = point.queue() ? s.createConsumer(destination)
                    : s.createDurableConsumer((Topic) destination, "all");
            c.start();
            Received received = receiveAll(consumer, producers, second.log());
            received.check(producers);

            // the recovered log takes appends again and the subscription goes on from there
            MessageProducer after = s.createProducer(destination);
            after.setDeliveryMode(DeliveryMode.PERSISTENT);
            after.send(SendingProducer.message(s, 99, 0));
            Message next = consumer.receive(20_000);
            assertNotNull(next, "no message sent after the recovery arrived");
            assertEquals(99, ((BytesMessage) next).readInt());
        }
        second.process().destroyForcibly();
    }

    /**
     * Delivery counts live in the broker's memory. After SIGKILL the broker cannot know which stored messages it had
     * delivered without an acknowledgement, so every message of a queue or durable subscription that was in the log
     * at the crash comes the first time after the restart with JMSRedelivered and a JMSXDeliveryCount of 2 (Jakarta
     * Messaging 3.1, sections 3.4.7 and 3.5.11: set when the provider cannot be sure it was not delivered before).
     * Messages stored after the restart are new. Here the client saw four messages of each and acknowledged none;
     * the mark survives a later clean restart.
     */
    @Test
    void messagesStoredBeforeSigkillComeBackRedelivered(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "topic.default.partitions=1\n");
        Path data = dir.resolve("data");
        BrokerProcess first = BrokerProcess.start(config, data, dir.resolve("broker-1.out"));
        processes.add(first.process());
        try (Connection c = connect(first)) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer durable = s.createDurableConsumer(s.createTopic("marked"), "marked");
            MessageConsumer queue = s.createConsumer(s.createQueue("marked"));
            sendNumbered(s, s.createTopic("marked"), 0, 6);
            sendNumbered(s, s.createQueue("marked"), 0, 6);
            c.start();
            for (MessageConsumer consumer : List.of(durable, queue)) {
                for (int i = 0; i < 4; i++) {
                    Message m = consumer.receive(20_000);
                    assertNotNull(m, "message " + i + " before the kill");
                    assertFalse(m.getJMSRedelivered(), "first delivery before the kill");
                }
            }
            // no acknowledge(): the broker holds all twelve as delivered, unacknowledged
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "killed broker did not exit");
        } catch (JMSException expectedOnClose) {
            // closing a connection to a dead broker may fail; the kill is what matters
        }

        BrokerProcess second = BrokerProcess.start(config, data, dir.resolve("broker-2.out"));
        processes.add(second.process());
        try (Connection c = connect(second)) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = s.createTopic("marked");
            MessageConsumer durable = s.createDurableConsumer(topic, "marked");
            MessageConsumer queue = s.createConsumer(s.createQueue("marked"));
            c.start();
            for (MessageConsumer consumer : List.of(durable, queue)) {
                for (int i = 0; i < 6; i++) {
                    Message m = consumer.receive(20_000);
                    assertNotNull(m, "stored message " + i + " after the restart");
                    assertEquals(i, m.getIntProperty("n"));
                    assertTrue(m.getJMSRedelivered(), "message " + i + " was in the log at the crash");
                    assertTrue(m.getIntProperty("JMSXDeliveryCount") >= 2, "JMSXDeliveryCount of message " + i);
                }
            }
            sendNumbered(s, topic, 6, 1);
            sendNumbered(s, s.createQueue("marked"), 6, 1);
            for (MessageConsumer consumer : List.of(durable, queue)) {
                Message m = consumer.receive(20_000);
                assertNotNull(m, "message sent after the restart");
                assertEquals(6, m.getIntProperty("n"));
                assertFalse(m.getJMSRedelivered(), "a message stored after the restart is new");
                assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
            }
        }
        second.process().destroy(); // SIGTERM: a clean stop with nothing acknowledged yet
        assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "broker did not stop");

        // a clean restart does not forget the crash: what was stored then is still possibly delivered
        BrokerProcess third = BrokerProcess.start(config, data, dir.resolve("broker-3.out"));
        processes.add(third.process());
        try (Connection c = connect(third)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer durable = s.createDurableConsumer(s.createTopic("marked"), "marked");
            MessageConsumer queue = s.createConsumer(s.createQueue("marked"));
            c.start();
            for (MessageConsumer consumer : List.of(durable, queue)) {
                for (int i = 0; i < 6; i++) {
                    Message m = consumer.receive(20_000);
                    assertNotNull(m, "stored message " + i + " after the clean restart");
                    assertEquals(i, m.getIntProperty("n"));
                    assertTrue(m.getJMSRedelivered(), "message " + i + " was in the log at the crash");
                }
            }
        }
        third.process().destroyForcibly();
    }

    /**
     * A clean stop (SIGTERM) leaves the log with its clean-shutdown marker: a message that was never delivered is
     * delivered after the restart as new (JMSRedelivered false, JMSXDeliveryCount 1).
     */
    @Test
    void neverDeliveredMessageIsNotMarkedAfterCleanStop(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "topic.default.partitions=1\n");
        Path data = dir.resolve("data");
        BrokerProcess first = BrokerProcess.start(config, data, dir.resolve("broker-1.out"));
        processes.add(first.process());
        try (Connection c = connect(first)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("clean"), "clean").close();
            sendNumbered(s, s.createTopic("clean"), 0, 3);
            sendNumbered(s, s.createQueue("clean"), 0, 3);
        }
        first.process().destroy(); // SIGTERM: the broker stops cleanly
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "broker did not stop");
        assertEquals(0, first.process().exitValue(), Files.readString(first.log()));

        BrokerProcess second = BrokerProcess.start(config, data, dir.resolve("broker-2.out"));
        processes.add(second.process());
        try (Connection c = connect(second)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer durable = s.createDurableConsumer(s.createTopic("clean"), "clean");
            MessageConsumer queue = s.createConsumer(s.createQueue("clean"));
            c.start();
            for (MessageConsumer consumer : List.of(durable, queue)) {
                for (int i = 0; i < 3; i++) {
                    Message m = consumer.receive(20_000);
                    assertNotNull(m, "message " + i + " after the clean restart");
                    assertEquals(i, m.getIntProperty("n"));
                    assertFalse(m.getJMSRedelivered(), "message " + i + " was never delivered");
                    assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
                }
            }
        }
        second.process().destroyForcibly();
    }

    private static Connection connect(BrokerProcess broker) throws JMSException {
        return new HeraldConnectionFactory("tcp://127.0.0.1:" + broker.port()
                + "?clientID=marker&requestTimeout=20000&reconnectTimeoutMs=0").createConnection();
    }

    private static void sendNumbered(Session s, Destination destination, int from, int count) throws JMSException {
        MessageProducer producer = s.createProducer(destination);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int n = from; n < from + count; n++) {
            Message m = s.createMessage();
            m.setIntProperty("n", n);
            producer.send(m);
        }
        producer.close();
    }

    /**
     * Starts a broker on the crashed data and kills it as soon as it has recovered the first partition (its open
     * rewrites {@code recovery-point}), so that the next start recovers from a recovery that was cut short.
     */
    private void killDuringRecovery(Path config, Path data, Path log) throws Exception {
        Path recoveryPoint;
        try (Stream<Path> files = Files.walk(data.resolve("log"))) {
            recoveryPoint = files.filter(f -> f.getFileName().toString().equals("recovery-point")).findFirst()
                    .orElseThrow();
        }
        long before = Files.getLastModifiedTime(recoveryPoint).toMillis();
        Files.setLastModifiedTime(recoveryPoint, java.nio.file.attribute.FileTime.fromMillis(before - 10_000));
        Process process = BrokerProcess.launch(config, data, log);
        processes.add(process);
        await("recovery of a partition").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                .until(() -> !process.isAlive()
                        || Files.getLastModifiedTime(recoveryPoint).toMillis() > before - 10_000);
        assertTrue(process.isAlive(), "broker exited by itself during recovery:\n" + Files.readString(log));
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed broker did not exit");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Receives until every acknowledged send has arrived, then until the subscription is quiet. */
    private static Received receiveAll(MessageConsumer consumer, List<SendingProducer> producers, Path brokerLog)
            throws JMSException, IOException {
        Received received = new Received();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!received.hasAll(producers)) {
            Message m = consumer.receive(1000);
            if (m != null) {
                received.add(m);
            } else if (System.nanoTime() > deadline) {
                fail("acknowledged sends missing after recovery: " + received.missing(producers)
                        + "\n(data kept in " + brokerLog.getParent() + ")\nbroker:\n" + Files.readString(brokerLog));
            }
        }
        // at most one unacknowledged send per producer may follow
        for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
            received.add(m);
        }
        return received;
    }

    /** What the consumer got, per producer in delivery order. */
    private static final class Received {
        private final Map<Integer, List<long[]>> byProducer = new HashMap<>(); // {seq, partition, offset}
        private final List<String> problems = new ArrayList<>();

        void add(Message m) throws JMSException {
            BytesMessage bytes = (BytesMessage) m;
            int producer = bytes.readInt();
            long seq = bytes.readLong();
            int length = bytes.readInt();
            byte[] body = new byte[length];
            int read = bytes.readBytes(body);
            if (read != length || bytes.readBytes(new byte[1]) != -1
                    || !Arrays.equals(body, SendingProducer.payload(producer, seq, length))) {
                problems.add("corrupt body: producer " + producer + " seq " + seq);
            }
            HeraldMessage herald = (HeraldMessage) m;
            byProducer.computeIfAbsent(producer, k -> new ArrayList<>())
                    .add(new long[] {seq, herald.deliveryPartition(), herald.deliveryOffset()});
        }

        boolean hasAll(List<SendingProducer> producers) {
            return missing(producers).isEmpty();
        }

        String missing(List<SendingProducer> producers) {
            StringBuilder missing = new StringBuilder();
            for (SendingProducer producer : producers) {
                long[] seen = byProducer.getOrDefault(producer.id, List.of()).stream()
                        .mapToLong(r -> r[0]).filter(s -> s < producer.acked()).distinct().toArray();
                if (seen.length < producer.acked()) {
                    missing.append("producer ").append(producer.id).append(": ").append(producer.acked() - seen.length)
                            .append(" of ").append(producer.acked()).append(" acknowledged; ");
                }
            }
            return missing.toString();
        }

        void check(List<SendingProducer> producers) {
            List<String> all = new ArrayList<>(problems);
            for (SendingProducer producer : producers) {
                List<long[]> got = byProducer.getOrDefault(producer.id, List.of());
                Map<Long, Integer> copies = new HashMap<>();
                Map<Long, Long> lastSeqInPartition = new HashMap<>();
                for (long[] r : got) {
                    long seq = r[0];
                    if (copies.merge(seq, 1, Integer::sum) > 1) {
                        all.add("producer " + producer.id + " seq " + seq + " delivered twice");
                    }
                    // sends are synchronous: only the one after the last acknowledged can have been in flight
                    if (seq > producer.acked()) {
                        all.add("producer " + producer.id + " seq " + seq + " was never sent (acknowledged "
                                + producer.acked() + ")");
                    }
                    Long previous = lastSeqInPartition.put(r[1], seq);
                    if (previous != null && previous >= seq) {
                        all.add("producer " + producer.id + " partition " + r[1] + ": seq " + seq + " after "
                                + previous);
                    }
                }
            }
            assertEquals(List.of(), all);
        }
    }

    /** One producer on a connection of its own: sends seq 0, 1, 2 ... synchronously until a send fails. */
    private static final class SendingProducer extends Thread {
        final int id;
        private final String url;
        private final boolean queue;
        private final AtomicLong totalAcked;
        /** Sends 0 .. acked-1 returned; send {@code acked} may have been in flight when the broker died. */
        private final AtomicInteger acked = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        SendingProducer(int id, String url, boolean queue, AtomicLong totalAcked) {
            super("crash-producer-" + id);
            this.id = id;
            this.url = url;
            this.queue = queue;
            this.totalAcked = totalAcked;
            setDaemon(true);
        }

        int acked() {
            return acked.get();
        }

        boolean died() {
            return !isAlive() && failure.get() != null;
        }

        @Override
        public void run() {
            try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(queue ? s.createQueue("crash") : s.createTopic("crash"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int seq = 0; ; seq++) {
                    producer.send(message(s, id, seq));
                    acked.incrementAndGet();
                    totalAcked.incrementAndGet();
                }
            } catch (JMSException | RuntimeException e) {
                failure.set(e); // the kill ends every producer this way
            }
        }

        static BytesMessage message(Session s, int producer, long seq) throws JMSException {
            int length = 200 + (int) Math.floorMod(seq * 7919 + producer * 104729L, 1200);
            BytesMessage m = s.createBytesMessage();
            m.writeInt(producer);
            m.writeLong(seq);
            m.writeInt(length);
            m.writeBytes(payload(producer, seq, length));
            return m;
        }

        /** Bytes that depend on producer, seq and position, so a misplaced or damaged body does not pass. */
        static byte[] payload(int producer, long seq, int length) {
            byte[] bytes = new byte[length];
            long x = (seq + 1) * 0x9E3779B97F4A7C15L ^ producer;
            for (int i = 0; i < length; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                bytes[i] = (byte) x;
            }
            return bytes;
        }
    }
}
