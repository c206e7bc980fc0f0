package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.Connected;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.protocol.Heartbeat;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats both ways with real sockets: the broker closes a client that announced heartbeats and went silent (a raw
 * socket that stops writing), keeps an old client (no heartbeats announced) however quiet, answers PING with PONG; a
 * JMS client that is idle stays connected; and the JMS client takes a broker that goes silent (a fake broker on a raw
 * server socket) as lost and tells the ExceptionListener.
 */
class HeartbeatIT {
    private static Buffer connect(int heartbeatMs) {
        return new Connect(Connect.PROTOCOL_VERSION, null, null, null, null, heartbeatMs).encode(1);
    }

    @Test
    void theBrokerClosesASilentClientThatAnnouncedHeartbeatsAndKeepsAnOldOne() throws Exception {
        try (TestBroker b = new TestBroker(Map.of()); RawClient old = new RawClient(b.port());
             RawClient silent = new RawClient(b.port())) {
            old.write(connect(0));
            Connected oldAnswer = Connected.decode(old.read().body());
            assertEquals(0, oldAnswer.heartbeatMs(), "no heartbeat field for a client that announced none");

            silent.write(connect(200));
            Frame answer = silent.read();
            assertEquals(FrameType.CONNECTED, answer.type());
            assertEquals(200, Connected.decode(answer.body()).heartbeatMs());
            silent.write(Heartbeat.ping());
            assertEquals(FrameType.PONG, silent.read().type());
            long start = System.nanoTime();
            assertTrue(silent.closedByPeer(), "closed after 3 missed heartbeats");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 550, "closed after " + took + " ms, before 3 intervals");
            // the old client is still there, however quiet it was meanwhile
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .until(() -> b.broker().connectionCount() == 1);
            old.write(Heartbeat.ping());
            assertEquals(FrameType.PONG, old.read().type());
        }
    }

    @Test
    void anIdleJmsClientStaysConnected() throws Exception {
        try (TestBroker b = new TestBroker(Map.of());
             JMSContext ctx = new HeraldConnectionFactory("tcp://127.0.0.1:" + b.port()
                     + "?heartbeatMs=400&reconnectTimeoutMs=0").createContext()) {
            Queue q = ctx.createQueue("heartbeat.q");
            ctx.createProducer().send(q, "before");
            // well beyond 3 intervals without a request: the client's PINGs keep it alive (400 ms, not less: on a
            // loaded 2-core machine a PONG has been seen to take 300 ms)
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(6))
                    .until(() -> b.broker().connectionCount() == 1);
            ctx.createProducer().send(q, "after");
            assertEquals("before", ctx.createConsumer(q).receiveBody(String.class, 10_000));
        }
    }

    @Test
    void theClientTakesASilentBrokerAsLost() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        try (ServerSocket fake = new ServerSocket(0)) {
            Thread broker = new Thread(() -> silentBroker(fake, pings), "silent-broker");
            broker.setDaemon(true);
            broker.start();
            AtomicReference<JMSException> lost = new AtomicReference<>();
            try (Connection c = new HeraldConnectionFactory("tcp://127.0.0.1:" + fake.getLocalPort()
                    + "?heartbeatMs=200&reconnectTimeoutMs=0").createConnection()) {
                c.setExceptionListener(lost::set);
                await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() != null);
                assertTrue(pings.get() >= 1, "the client pinged the idle broker");
            }
        }
    }

    /** Answers CONNECT, then reads (and counts PINGs) but never writes again. */
    private static void silentBroker(ServerSocket server, AtomicInteger pings) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            int length = in.readInt();
            in.readByte();
            int correlationId = in.readInt();
            in.readFully(new byte[length - 5]);
            out.write(new Connected(Connect.PROTOCOL_VERSION, "fake", "fake-1", 1 << 20, false, null, 200)
                    .encode(correlationId).getBytes());
            out.flush();
            while (true) {
                int n = in.readInt();
                byte type = in.readByte();
                in.readFully(new byte[n - 1]);
                if (type == FrameType.PING.code()) {
                    pings.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // the client closed the socket: done
        }
    }
}
