package io.heraldmq.server;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client failover, session by session, against an in-process broker restarted on its data directory and port (its
 * sockets close as a dying broker's would): the first of several addresses down, a transaction open across the loss,
 * CLIENT_ACKNOWLEDGE across the loss, and failover turned off.
 */
class ClientFailoverSessionIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private String url(String options) {
        return broker.url() + "?" + options;
    }

    @Test
    void theFirstAddressDownConnectsToTheSecond() throws Exception {
        int dead = freePort();
        String url = "tcp://127.0.0.1:" + dead + ",127.0.0.1:" + broker.port();
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("fo-second");
            s.createProducer(q).send(s.createTextMessage("via the second"));
            c.start();
            assertEquals("via the second", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
        }
    }

    @Test
    void aTransactionOpenAcrossTheLossRollsBackAtCommitAndTheNextOneWorks() throws Exception {
        List<JMSException> reported = new CopyOnWriteArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url("reconnectTimeoutMs=30000")).createConnection()) {
            c.setExceptionListener(reported::add);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue in = tx.createQueue("fo-tx-in");
            Queue out = tx.createQueue("fo-tx-out");
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            plain.createProducer(in).send(plain.createTextMessage("work"));
            MessageConsumer consumer = tx.createConsumer(in);
            MessageProducer producer = tx.createProducer(out);
            c.start();

            Message work = consumer.receive(10_000);
            assertNotNull(work);
            producer.send(tx.createTextMessage("result of the lost transaction"));

            broker.restart();

            assertThrows(TransactionRolledBackException.class, tx::commit);
            // the session goes on: the work comes again (the broker gives it out anew) and this time commits
            Message again = consumer.receive(10_000);
            assertNotNull(again, "the message received in the lost transaction comes again");
            assertEquals("work", ((TextMessage) again).getText());
            producer.send(tx.createTextMessage("result"));
            tx.commit();

            MessageConsumer results = plain.createConsumer(out);
            assertEquals("result", ((TextMessage) results.receive(10_000)).getText());
            assertNull(results.receive(300), "the lost transaction's send was not stored");
            assertNull(consumer.receive(300), "the work was consumed once");
            assertEquals(List.of(), reported);
        }
    }

    @Test
    void clientAcknowledgeAfterTheLossDoesNotThrowAndTheMessageComesAgain() throws Exception {
        List<JMSException> reported = new CopyOnWriteArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url("reconnectTimeoutMs=30000")).createConnection()) {
            c.setExceptionListener(reported::add);
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("fo-client-ack");
            s.createProducer(q).send(s.createTextMessage("seen, not acknowledged"));
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            Message first = consumer.receive(10_000);
            assertNotNull(first);

            broker.restart();

            Message again = consumer.receive(10_000);
            assertNotNull(again, "the unacknowledged message comes again after failover");
            assertEquals("seen, not acknowledged", ((TextMessage) again).getText());
            first.acknowledge(); // acknowledges what this session has now: the redelivery
            assertNull(consumer.receive(300));
            assertEquals(List.of(), reported);
        }
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            assertNull(s.createConsumer(s.createQueue("fo-client-ack")).receive(500), "acknowledged once");
        }
    }

    @Test
    void withoutFailoverTheExceptionListenerIsCalledAsBefore() throws Exception {
        List<JMSException> reported = new CopyOnWriteArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url("reconnectTimeoutMs=0")).createConnection()) {
            c.setExceptionListener(reported::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("fo-off"));
            c.start();
            broker.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
            assertThrows(JMSException.class, () -> s.createProducer(s.createQueue("fo-off"))
                    .send(s.createTextMessage("the connection failed")));
            assertEquals(1, reported.size());
        }
    }

    @Test
    void failoverThatFindsNoBrokerInTimeEndsInTheExceptionListener() throws Exception {
        List<JMSException> reported = new CopyOnWriteArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url("reconnectTimeoutMs=700")).createConnection()) {
            c.setExceptionListener(reported::add);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("fo-gone"));
            c.start();
            broker.shutdown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
            assertTrue(reported.get(0).getMessage().contains("lost"), reported.get(0).getMessage());
            assertEquals(1, reported.size());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
