package io.heraldmq.tck.connection;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 6.1.8 (ExceptionListener): when the connection to the broker is lost, the
 * connection's exception listener is told once, with a JMSException; a receive that was waiting returns, and later
 * calls that need the broker throw a JMSException instead of hanging.
 */
class ExceptionListenerIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void losingTheBrokerCallsTheListenerOnceAndUnblocksReceive() throws Exception {
        List<JMSException> reported = new CopyOnWriteArrayList<>();
        // failover off: a lost broker fails the connection at once (with failover, only once reconnecting failed)
        Connection c = new HeraldConnectionFactory(broker.url() + "?reconnectTimeoutMs=0").createConnection();
        try {
            c.setExceptionListener(reported::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("listener-queue"));
            c.start();
            CompletableFuture<Message> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.receive();
                } catch (JMSException e) {
                    return null;
                }
            });

            broker.shutdown();

            await().atMost(Duration.ofSeconds(30)).until(() -> !reported.isEmpty());
            assertNull(blocked.get(30, TimeUnit.SECONDS), "a waiting receive returns when the broker is gone");
            assertNotNull(reported.get(0).getMessage());
            assertThrows(JMSException.class, () -> s.createProducer(s.createQueue("listener-queue"))
                    .send(s.createTextMessage("nobody listens")));
            assertThrows(JMSException.class, () -> s.createConsumer(s.createQueue("listener-queue")));
            assertThrows(JMSException.class, () -> consumer.receive(1_000));
            assertEquals(1, reported.size(), "the listener is told once: " + reported);
        } finally {
            c.close();
        }
    }
}
