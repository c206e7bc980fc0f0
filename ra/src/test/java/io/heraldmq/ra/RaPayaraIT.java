package io.heraldmq.ra;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.PreparedTransaction;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resource adapter in a real application server: Payara Micro 6 as a process, the RAR and a test application
 * (the {@code app} package: a servlet, a stateless bean using the adapter's pooled XA connection factory and the
 * server's H2 data source in one container transaction, and four message-driven beans) deployed into it, against
 * a broker process on 127.0.0.1 with {@code max.delivery.attempts = 3}. One server for the class (it takes ~25 s to
 * boot); the tests run in order, the crash tests last (the broker's, then the server's).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RaPayaraIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static BrokerProcess broker;
    private static PayaraMicro payara;
    private static long bootMillis;

    @BeforeAll
    static void start() throws Exception {
        Path brokerDir = Files.createDirectories(dir.resolve("broker"));
        broker = new BrokerProcess(brokerDir, freePort(), "max.delivery.attempts = 3\n");
        broker.start();
        payara = new PayaraMicro(Files.createDirectories(dir.resolve("payara")), freePort());
        long t0 = System.nanoTime();
        payara.start(broker.url());
        bootMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("Payara Micro with the RAR and the test application ready in " + bootMillis + " ms");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (payara != null) {
                payara.stop();
                copyLog(payara.log(), "payara.log");
            }
        } finally {
            if (broker != null) {
                broker.stop();
                copyLog(broker.log(), "broker.log");
            }
        }
    }

    /** Kept under target/ra-it for a failure's post-mortem (the temporary directory is deleted). */
    private static void copyLog(Path log, String name) throws IOException {
        if (Files.exists(log)) {
            Path out = Files.createDirectories(Path.of("target", "ra-it"));
            Files.copy(log, out.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HeraldConnectionFactory client() {
        return new HeraldConnectionFactory(broker.url());
    }

    @Test
    @Order(1)
    void aThrowingTransactionLeavesNeitherRowNorMessage_aCommittedOneBoth() throws Exception {
        assertTrue(payara.get("tx?id=rolled-back&fail=true").startsWith("failed"));
        assertEquals("false", payara.get("row?id=rolled-back"));
        assertEquals("committed", payara.get("tx?id=committed"));
        assertEquals("true", payara.get("row?id=committed"));

        try (Connection c = client().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = s.createQueue("ra.jta");
            MessageConsumer consumer = s.createConsumer(q);
            TextMessage m = (TextMessage) consumer.receive(WAIT.toMillis());
            assertNotNull(m, "the committed transaction's message");
            assertEquals("committed", m.getText());
            assertEquals("committed", m.getStringProperty("row"), "the JMSProducer's property");
            s.commit();
            consumer.close();
            try (QueueBrowser browser = s.createBrowser(q)) {
                assertEquals(List.of(), Collections.list(browser.getEnumeration()),
                        "nothing else on the queue: the rolled back message must not exist");
            }
        }
    }

    @Test
    @Order(2)
    void aQueueBeanGetsEveryMessageExactlyOnce() throws Exception {
        List<String> sent = send("ra.mdb", "q-", 200);
        await("every message delivered to the queue bean").atMost(WAIT)
                .until(() -> payara.get("received?bean=queue").lines().count() >= sent.size());
        assertEquals(onceEach(sent), payara.get("received?bean=queue"));
    }

    @Test
    @Order(3)
    void aDurableTopicBeanGetsEveryMessageExactlyOnce() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            await("the bean's durable subscription").atMost(WAIT).until(() -> admin.listSubscriptions().stream()
                    .anyMatch(s -> "ra-topic-sub".equals(s.name()) && s.durable() && s.consumers() > 0));
        }
        List<String> sent = publish("ra.topic", "t-", 100);
        await("every message delivered to the topic bean").atMost(WAIT)
                .until(() -> payara.get("received?bean=topic").lines().count() >= sent.size());
        assertEquals(onceEach(sent), payara.get("received?bean=topic"));
    }

    @Test
    @Order(4)
    void anUntransactedBeanOnASharedDurableSubscriptionGetsEveryMessageOnce() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            await("the bean's shared subscription").atMost(WAIT).until(() -> admin.listSubscriptions().stream()
                    .anyMatch(s -> "ra-shared-sub".equals(s.name()) && s.shared() && s.consumers() == 2));
        }
        List<String> sent = publish("ra.shared", "s-", 100);
        await("every message delivered to the untransacted bean").atMost(WAIT)
                .until(() -> payara.get("received?bean=untransacted").lines().count() >= sent.size());
        assertEquals(onceEach(sent), payara.get("received?bean=untransacted"));
    }

    @Test
    @Order(5)
    void aBeanThatThrowsGetsTheMessageRedeliveredThenDeadLettered() throws Exception {
        send("ra.poison", "poison-", 1);
        try (Connection c = client().createConnection()) {
            c.start();
            Session s = c.createSession();
            Message dead = s.createConsumer(s.createQueue("DLQ.ra.poison")).receive(WAIT.toMillis());
            assertNotNull(dead, "the message in the dead-letter queue");
            assertEquals("poison-000", ((TextMessage) dead).getText());
        }
        assertEquals("poison-000#1 1\npoison-000#2 1\npoison-000#3 1\n", payara.get("received?bean=poison"),
                "three deliveries (max.delivery.attempts), each rolled back");
    }

    /**
     * The broker is killed while HeraldMQ's branch is prepared and the transaction manager is committing the other
     * branch; HeraldMQ's commit answers XA_RETRY, and once the broker is back the transaction manager's retry (60 s
     * later, Payara's fixed wait) commits the branch through another connection: one message, no prepared branch
     * left, and the application's call returns normally.
     */
    @Test
    @Order(6)
    void aBrokerKilledBetweenPrepareAndCommitIsCompletedByTheServersTransactionManager() throws Exception {
        CompletableFuture<HttpResponse<String>> request = payara.getAsync("crash?id=crash-1");
        await("the transaction manager in the second branch's commit").atMost(WAIT)
                .until(() -> payara.get("crash-state").equals("committing"));
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            List<PreparedTransaction> prepared = admin.listTransactions();
            assertEquals(1, prepared.size(), "HeraldMQ's branch prepared: " + prepared);
        }
        broker.kill();
        assertEquals("released", payara.get("crash-release"));
        long t0 = System.nanoTime();
        broker.start();

        try (Connection c = client().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ra.crash"));
            TextMessage m = (TextMessage) consumer.receive(Duration.ofSeconds(120).toMillis());
            assertNotNull(m, "the prepared message, committed by the server's transaction manager");
            System.out.println("recovered " + (System.nanoTime() - t0) / 1_000_000 + " ms after the restart");
            assertEquals("crash-1", m.getText());
            s.commit();
            consumer.close();
            try (QueueBrowser browser = s.createBrowser(s.createQueue("ra.crash"))) {
                assertEquals(List.of(), Collections.list(browser.getEnumeration()), "no duplicate");
            }
        }
        HttpResponse<String> answer = request.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("committed", answer.body(), "the transaction manager's commit returned once it had retried");
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            await("no prepared branch left").atMost(WAIT).until(() -> admin.listTransactions().isEmpty());
        }

        // The message-driven beans' activations connected again by themselves (the client's failover is off).
        await("the activations set up again").atMost(WAIT).until(() -> Files.readString(payara.log())
                .contains("HeraldMQ activation connected again: ra.mdb"));
        List<String> after = send("ra.mdb", "after-restart-", 10);
        await("the queue bean delivers again after the broker restart").atMost(WAIT)
                .until(() -> after.stream().allMatch(b -> {
                    try {
                        return payara.get("received?bean=queue").contains(b + " 1");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    /**
     * Payara's own recovery: the server is killed (SIGKILL) while its transaction manager commits a transaction
     * whose HeraldMQ branch is prepared (its log holds the commit decision), and started again on the same root
     * directory, whose transaction log its startup recovery reads: it asks the connection pool's XAResource for the
     * broker's prepared branches and commits this one. The broker stays up.
     */
    @Test
    @Order(7)
    void aServerKilledBetweenPrepareAndCommitCommitsTheBranchWhenItStartsAgain() throws Exception {
        payara.getAsync("crash?id=server-crash");
        await("the transaction manager in the second branch's commit").atMost(WAIT)
                .until(() -> payara.get("crash-state").equals("committing"));
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            assertEquals(1, admin.listTransactions().size(), "HeraldMQ's branch prepared");
            payara.kill();
            assertEquals(1, admin.listTransactions().size(), "the broker holds the branch for the server");

            long t0 = System.nanoTime();
            payara.restart();
            long ready = System.nanoTime();
            await("the restarted server's recovery completes the branch").atMost(WAIT)
                    .until(() -> admin.listTransactions().isEmpty());
            System.out.printf("Payara restarted in %d ms; the branch completed %d ms after it was ready%n",
                    (ready - t0) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
        }
        try (Connection c = client().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ra.crash"));
            TextMessage m = (TextMessage) consumer.receive(WAIT.toMillis());
            assertNotNull(m, "the prepared message, committed by the recovery");
            assertEquals("server-crash", m.getText());
            s.commit();
            consumer.close();
            try (QueueBrowser browser = s.createBrowser(s.createQueue("ra.crash"))) {
                assertEquals(List.of(), Collections.list(browser.getEnumeration()), "no duplicate");
            }
        }
    }

    private static List<String> send(String queue, String prefix, int n) throws JMSException {
        List<String> sent = IntStream.range(0, n).mapToObj(i -> String.format("%s%03d", prefix, i)).toList();
        try (Connection c = client().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String body : sent) {
                p.send(s.createTextMessage(body));
            }
        }
        return sent;
    }

    private static List<String> publish(String topic, String prefix, int n) throws JMSException {
        List<String> sent = IntStream.range(0, n).mapToObj(i -> String.format("%s%03d", prefix, i)).toList();
        try (Connection c = client().createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createTopic(topic));
            for (String body : sent) {
                p.send(s.createTextMessage(body));
            }
        }
        return sent;
    }

    private static String onceEach(List<String> bodies) {
        return bodies.stream().sorted().map(b -> b + " 1\n").collect(Collectors.joining());
    }
}
