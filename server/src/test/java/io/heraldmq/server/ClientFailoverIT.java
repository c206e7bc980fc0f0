package io.heraldmq.server;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.TopicInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.metrics.Scrape;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client failover against a broker process killed with SIGKILL and started again on its data directory and port,
 * under a synchronous PERSISTENT producer and a consumer on a single-address URL: the application sees a pause and no
 * exception, every acknowledged send is received, and none is stored twice (the send in flight at the kill is sent
 * again on the new connection and the broker's idempotent-producer state, rebuilt from its log, recognises it if it
 * was stored). The producers of a connection are registered with the new broker again
 * ({@code max.producers.per.connection} counts them there).
 */
class ClientFailoverIT {
    private static final int MESSAGES = 1500;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        BrokerProcess.jar();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aBrokerKilledAndRestartedIsAPauseNotAnException(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path config = dir.resolve("broker.properties");
        // two producers per connection: the restarted broker must learn the producing connection's two again
        java.nio.file.Files.writeString(config, "max.producers.per.connection = 2\n");
        Path data = dir.resolve("data");
        BrokerProcess first = BrokerProcess.start(config, data, dir.resolve("broker-1.out"));
        processes.add(first.process());
        int port = first.port();
        String url = "tcp://127.0.0.1:" + port + "?reconnectTimeoutMs=60000";

        List<JMSException> reported = new CopyOnWriteArrayList<>();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();

        HeraldConnectionFactory factory = new HeraldConnectionFactory(url);
        try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
            producing.setExceptionListener(reported::add);
            consuming.setExceptionListener(reported::add);
            Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = ps.createQueue("failover-restart");
            MessageProducer producer = ps.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageProducer idle = ps.createProducer(null);
            Session cs = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = cs.createConsumer(queue);
            consuming.start();

            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        producer.send(ps.createTextMessage(Integer.toString(i)));
                        acknowledged.incrementAndGet();
                    }
                } catch (Throwable t) {
                    producerFailure.set(t);
                }
            }, "failover-sender");
            Thread receiver = new Thread(() -> {
                try {
                    while (received.size() < MESSAGES && !Thread.currentThread().isInterrupted()) {
                        Message m = consumer.receive(200);
                        if (m != null) {
                            deliveries.incrementAndGet();
                            received.add(Integer.parseInt(((TextMessage) m).getText()));
                        }
                    }
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            }, "failover-receiver");
            sender.start();
            receiver.start();

            await("sends before the kill").atMost(Duration.ofSeconds(60))
                    .until(() -> acknowledged.get() >= MESSAGES / 3 || producerFailure.get() != null);
            first.process().destroyForcibly();
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "killed broker did not exit");
            int acknowledgedAtKill = acknowledged.get();

            BrokerProcess second = BrokerProcess.start(config, data, dir.resolve("broker-2.out"), port);
            processes.add(second.process());

            sender.join(120_000);
            assertNull(producerFailure.get(), () -> "the producer saw an exception: " + producerFailure.get());
            assertEquals(MESSAGES, acknowledged.get());
            assertTrue(acknowledgedAtKill < MESSAGES, "the kill came after every send: " + acknowledgedAtKill);
            await("every acknowledged message received").atMost(Duration.ofSeconds(60))
                    .until(() -> received.size() == MESSAGES || consumerFailure.get() != null);
            receiver.join(10_000);
            assertNull(consumerFailure.get(), () -> "the consumer saw an exception: " + consumerFailure.get());
            assertEquals(List.of(), reported, "nothing reaches the ExceptionListener");

            try (HeraldAdmin admin = HeraldAdmin.connect("tcp://127.0.0.1:" + port)) {
                assertEquals(MESSAGES, stored(admin, "failover-restart"), "every message stored exactly once");
            }

            // the sessions were counted again by the new broker: the producing and the consuming connection's
            Scrape sessions = Scrape.of(second.httpUrl());
            assertEquals(2, sessions.value("heraldmq_sessions", "user", "anonymous"), sessions.text());

            // the producers were registered again on the new connection: a third is one too many, until one closes
            ResourceAllocationException third = assertThrows(ResourceAllocationException.class,
                    () -> ps.createProducer(queue));
            assertTrue(third.getMessage().contains("max.producers.per.connection"), third.getMessage());
            idle.close();
            ps.createProducer(queue).send(ps.createTextMessage("after the idle producer closed"));
            assertEquals("after the idle producer closed", ((TextMessage) consumer.receive(10_000)).getText());
        }
    }

    private static long stored(HeraldAdmin admin, String queue) {
        for (TopicInfo t : admin.listTopics()) {
            if (t.queue() && t.name().equals(queue)) {
                return t.messages();
            }
        }
        throw new AssertionError("no queue " + queue);
    }
}
