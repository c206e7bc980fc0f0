package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ErrorFrame;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.server.security.PasswordHash;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits on hostile or broken clients with real brokers and sockets: connections in total, per user and per
 * address, consumers and producers per connection, the CONNECT timeout, the frame size before CONNECT, and the backoff after failed
 * logins (on a timer: other connections are served meanwhile). Each refusal names its limit.
 */
class ConnectionLimitsIT {
    private static String hash(String password) {
        return PasswordHash.create(password.toCharArray(), 1_000).encoded();
    }

    private static HeraldConnectionFactory factory(TestBroker b) {
        return new HeraldConnectionFactory("tcp://127.0.0.1:" + b.port() + "?reconnectTimeoutMs=0");
    }

    @Test
    void maxConnectionsRefusesTheOneTooManyAndFreesTheSlotOnClose() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("max.connections", "2"))) {
            Connection first = factory(b).createConnection();
            Connection second = factory(b).createConnection();
            ResourceAllocationException refused = assertThrows(ResourceAllocationException.class,
                    () -> factory(b).createConnection());
            assertTrue(refused.getMessage().contains("max.connections = 2"), refused.getMessage());
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.broker().connectionCount() == 1);
            factory(b).createConnection().close();
            second.close();
        }
    }

    @Test
    void perUserAndPerAddressLimits() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("user.alice", hash("a"), "user.bob", hash("b"), "user.carol",
                hash("c"), "max.connections.per.user", "1", "max.connections.per.address", "3"))) {
            List<Connection> open = new ArrayList<>();
            open.add(factory(b).createConnection("alice", "a"));
            open.add(factory(b).createConnection("bob", "b"));
            ResourceAllocationException perUser = assertThrows(ResourceAllocationException.class,
                    () -> factory(b).createConnection("alice", "a"));
            assertTrue(perUser.getMessage().contains("user 'alice'")
                    && perUser.getMessage().contains("max.connections.per.user = 1"), perUser.getMessage());
            await().atMost(Duration.ofSeconds(10)).until(() -> b.broker().connectionCount() == 2);
            open.add(factory(b).createConnection("carol", "c"));
            ResourceAllocationException perAddress = assertThrows(ResourceAllocationException.class,
                    () -> factory(b).createConnection("bob", "b"));
            assertTrue(perAddress.getMessage().contains("max.connections.per.address = 3"), perAddress.getMessage());
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void maxConsumersPerConnection() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("max.consumers.per.connection", "2"));
             Connection c = factory(b).createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("limits.q");
            MessageConsumer one = s.createConsumer(q);
            s.createBrowser(q).getEnumeration(); // a browser counts while open
            ResourceAllocationException refused = assertThrows(ResourceAllocationException.class,
                    () -> s.createConsumer(s.createTopic("limits.t")));
            assertTrue(refused.getMessage().contains("max.consumers.per.connection = 2"), refused.getMessage());
            one.close();
            s.createConsumer(q).close();
            // the connection stays usable
            s.createProducer(q).send(s.createTextMessage("still here"));
        }
    }

    @Test
    void maxProducersPerConnection() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("max.producers.per.connection", "2"));
             Connection c = factory(b).createConnection()) {
            Session s = c.createSession();
            Queue q = s.createQueue("limits.p");
            MessageProducer named = s.createProducer(q);
            MessageProducer anonymous = c.createSession().createProducer(null); // anonymous ones count too
            ResourceAllocationException refused = assertThrows(ResourceAllocationException.class,
                    () -> s.createProducer(q));
            assertTrue(refused.getMessage().contains("max.producers.per.connection = 2"), refused.getMessage());
            // the connection stays usable, and the limit is per connection
            named.send(s.createTextMessage("still here"));
            anonymous.send(q, s.createTextMessage("and here"));
            try (Connection other = factory(b).createConnection()) {
                other.createSession().createProducer(q).close();
            }
            named.close();
            MessageProducer third = s.createProducer(q);
            third.send(s.createTextMessage("after a close"));
            try (MessageConsumer consumer = s.createConsumer(q)) {
                c.start();
                for (String expected : List.of("still here", "and here", "after a close")) {
                    assertEquals(expected, ((TextMessage) consumer.receive(5000)).getText());
                }
            }
        }
    }

    @Test
    void aJmsContextsProducersAreOneProducer() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("max.producers.per.connection", "2"));
             JMSContext context = factory(b).createContext()) {
            Queue q = context.createQueue("limits.context");
            for (int i = 0; i < 1000; i++) {
                context.createProducer().send(q, "m" + i);
            }
            // the context's one producer, and one more of its session's classic API, within the limit
            try (JMSContext second = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
                second.createProducer().send(q, "from a second context");
            }
            try (var consumer = context.createConsumer(q)) {
                for (int i = 0; i < 1000; i++) {
                    assertEquals("m" + i, consumer.receiveBody(String.class, 5000));
                }
                assertEquals("from a second context", consumer.receiveBody(String.class, 5000));
            }
        }
    }

    @Test
    void aSocketThatSendsNoConnectIsClosedAfterTheTimeout() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("connect.timeout.ms", "300"))) {
            long start = System.nanoTime();
            try (RawClient raw = new RawClient(b.port())) {
                assertTrue(raw.closedByPeer(), "closed by the broker");
            }
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "not before the timeout");
            // a client that does connect in time is not affected
            TestBroker.roundTrip(factory(b), null, null);
        }
    }

    @Test
    void framesBeforeConnectAreSmall() throws Exception {
        try (TestBroker b = new TestBroker(Map.of()); RawClient raw = new RawClient(b.port())) {
            // the header of a 100 KB "CONNECT": refused before its body is read
            raw.write(Buffer.buffer().appendInt(100_000).appendByte(FrameType.CONNECT.code()).appendInt(1));
            Frame answer = raw.read();
            assertEquals(FrameType.ERROR, answer.type());
            ErrorFrame error = ErrorFrame.decode(answer.body());
            assertEquals(ErrorCode.PROTOCOL_ERROR, error.code());
            assertTrue(error.message().contains("limit of 65536"), error.message());
            assertTrue(raw.closedByPeer());
        }
        // after CONNECT the usual limit applies: a 200 KB message goes through
        try (TestBroker b = new TestBroker(Map.of());
             JMSContext ctx = factory(b).createContext()) {
            Queue q = ctx.createQueue("limits.big");
            ctx.createProducer().send(q, new byte[200_000]);
            assertEquals(200_000, ctx.createConsumer(q).receiveBody(byte[].class, 10_000).length);
        }
    }

    @Test
    void failedLoginsFromAnAddressAreSlowedDownWithoutHoldingUpOthers() throws Exception {
        try (TestBroker b = new TestBroker(Map.of("user.alice", hash("right"), "user.alice.roles", "all",
                "permission.send.#", "all", "permission.consume.#", "all", "permission.createDestination.#", "all",
                "auth.backoff.max.ms", "1600"))) {
            // opened before the failures (a success forgets them)
            try (JMSContext alice = factory(b).createContext("alice", "right")) {
                long[] took = new long[5];
                for (int i = 0; i < took.length; i++) {
                    long start = System.nanoTime();
                    assertThrows(JMSSecurityException.class, () -> factory(b).createConnection("alice", "wrong"));
                    took[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                // waits before the check: 0, 100, 200, 400, 800 ms
                assertTrue(took[3] >= 380 && took[4] >= 780, java.util.Arrays.toString(took));
                // the next attempt waits 1,600 ms; meanwhile the event loop serves alice's connection
                CompletableFuture<Long> slow = CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    assertThrows(JMSSecurityException.class, () -> factory(b).createConnection("alice", "wrong"));
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                });
                Queue q = alice.createQueue("backoff.q");
                alice.createProducer().send(q, "served");
                assertEquals("served", alice.createConsumer(q).receiveBody(String.class, 10_000));
                assertFalse(slow.isDone(), "alice was served while the failed login still waited");
                assertTrue(slow.get(30, TimeUnit.SECONDS) >= 1580);
                // the right password still gets in (after the wait), and then the address is forgotten
                factory(b).createConnection("alice", "right").close();
                long start = System.nanoTime();
                assertThrows(JMSSecurityException.class, () -> factory(b).createConnection("alice", "wrong"));
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1580);
            }
        }
    }

}
