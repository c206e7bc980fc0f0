package io.heraldmq.server;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Atomic commit across a broker crash (Jakarta Messaging 3.1, section 6.2.7: a transaction's sends and acks commit as
 * one unit). The packaged broker runs as a process; a transacted session takes two messages from an input queue and,
 * for each, sends one message to each of two output queues, then commits; the process is SIGKILLed mid-stream. After
 * a restart every input message must be accounted for exactly once: either its transaction committed (its output is
 * on both queues, once, and it is gone from the input) or it did not (no output anywhere, and it is in the input
 * again). Every commit that returned must be of the first kind.
 */
class TransactionCrashIT {
    private static final int INPUTS = 600;
    private static final int PER_TRANSACTION = 2;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        BrokerProcess.jar();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @ParameterizedTest(name = "killed after {0} commits")
    @ValueSource(ints = {3, 60})
    void everyTransactionIsWhollyPresentOrWhollyAbsentAfterSigkill(int killAfter,
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "log.segment.bytes=65536\n");
        Path data = dir.resolve("data");
        int port = start(config, data, dir.resolve("broker-1.out"));
        String url = "tcp://127.0.0.1:" + port + "?requestTimeout=20000&reconnectTimeoutMs=0";
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("tx-in"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < INPUTS; i++) {
                p.send(s.createTextMessage(Integer.toString(i)));
            }
        }

        Worker worker = new Worker(url);
        worker.start();
        await("commits").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                .until(() -> worker.committed.size() >= killAfter * PER_TRANSACTION || !worker.isAlive());
        assertTrue(worker.isAlive(), "the worker stopped before the kill: " + worker.failure.get());
        processes.get(0).destroyForcibly();
        assertTrue(processes.get(0).waitFor(30, TimeUnit.SECONDS), "killed broker did not exit");
        worker.join(30_000);
        assertFalse(worker.isAlive(), "the worker goes on after the kill");

        int port2 = start(config, data, dir.resolve("broker-2.out"));
        String url2 = "tcp://127.0.0.1:" + port2 + "?requestTimeout=20000&reconnectTimeoutMs=0";
        Map<Integer, Integer> outA = drain(url2, "tx-out-a");
        Map<Integer, Integer> outB = drain(url2, "tx-out-b");
        Map<Integer, Integer> input = drain(url2, "tx-in");

        List<String> problems = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            int a = outA.getOrDefault(i, 0);
            int b = outB.getOrDefault(i, 0);
            int in = input.getOrDefault(i, 0);
            boolean committed = a == 1 && b == 1 && in == 0;
            boolean absent = a == 0 && b == 0 && in == 1;
            if (!committed && !absent) {
                problems.add(i + ": out-a " + a + ", out-b " + b + ", input " + in);
            } else if (absent && worker.committed.contains(i)) {
                problems.add(i + ": its commit returned but its transaction is gone");
            }
        }
        assertEquals(List.of(), problems, "partial or duplicated transactions (data kept in " + dir + ")");
        processes.get(1).destroyForcibly();
    }

    /** Each input message counted by its number. */
    private static Map<Integer, Integer> drain(String url, String queue) throws JMSException {
        Map<Integer, Integer> out = new HashMap<>();
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (TextMessage m = (TextMessage) consumer.receive(5000); m != null;
                 m = (TextMessage) consumer.receive(1000)) {
                out.merge(Integer.parseInt(m.getText()), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Consume two, produce four, commit; until the broker dies. */
    private static final class Worker extends Thread {
        final Set<Integer> committed = ConcurrentHashMap.newKeySet();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final String url;

        Worker(String url) {
            super("tx-crash-worker");
            this.url = url;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
                c.start();
                Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer in = tx.createConsumer(tx.createQueue("tx-in"));
                Queue a = tx.createQueue("tx-out-a");
                Queue b = tx.createQueue("tx-out-b");
                MessageProducer out = tx.createProducer(null);
                out.setDeliveryMode(DeliveryMode.PERSISTENT);
                while (true) {
                    List<Integer> taken = new ArrayList<>();
                    for (int n = 0; n < PER_TRANSACTION; n++) {
                        TextMessage m = (TextMessage) in.receive(20_000);
                        if (m == null) {
                            throw new IllegalStateException("input ran dry");
                        }
                        taken.add(Integer.parseInt(m.getText()));
                        out.send(a, tx.createTextMessage(m.getText()));
                        out.send(b, tx.createTextMessage(m.getText()));
                    }
                    tx.commit();
                    committed.addAll(taken);
                }
            } catch (JMSException | RuntimeException e) {
                failure.set(e); // the kill ends the worker this way
            }
        }
    }

    /** Starts the packaged broker and returns its port once it is ready. */
    private int start(Path config, Path data, Path log) throws IOException {
        BrokerProcess broker = BrokerProcess.start(config, data, log);
        processes.add(broker.process());
        return broker.port();
    }
}
