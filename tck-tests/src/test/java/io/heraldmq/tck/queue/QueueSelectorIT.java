package io.heraldmq.tck.queue;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 3.8 (message selection) applied to queues: each queue consumer has its own
 * selector and is delivered only the messages it selects; a message no consumer selects stays on the queue, without
 * holding up the messages behind it, until a consumer that selects it arrives.
 */
class QueueSelectorIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static void send(Session s, MessageProducer p, String colour, int n) throws Exception {
        Message m = s.createMessage();
        m.setStringProperty("colour", colour);
        m.setIntProperty("n", n);
        p.send(m);
    }

    @Test
    void eachConsumerGetsOnlyWhatItsSelectorMatches() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("sel-split");
            MessageConsumer reds = s.createConsumer(q, "colour = 'red'");
            MessageConsumer blues = s.createConsumer(q, "colour = 'blue'");
            c.start();
            MessageProducer p = s.createProducer(q);
            String[] colours = {"red", "blue", "blue", "red", "red", "blue"};
            for (int i = 0; i < colours.length; i++) {
                send(s, p, colours[i], i);
            }
            for (int n : new int[]{0, 3, 4}) {
                Message m = reds.receive(10_000);
                assertEquals(n, m.getIntProperty("n"));
                assertEquals("red", m.getStringProperty("colour"));
            }
            for (int n : new int[]{1, 2, 5}) {
                Message m = blues.receive(10_000);
                assertEquals(n, m.getIntProperty("n"));
                assertEquals("blue", m.getStringProperty("colour"));
            }
            assertNull(reds.receive(200));
            assertNull(blues.receive(200));
        }
    }

    @Test
    void unmatchedMessagesStayOnTheQueueWithoutBlockingTheOthers() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("sel-park");
            MessageConsumer reds = s.createConsumer(q, "colour = 'red'");
            c.start();
            MessageProducer p = s.createProducer(q);
            // More unmatched messages than the broker reads ahead, so that they must be set aside, not waited on.
            int greens = 600;
            int n = 0;
            for (int i = 0; i < greens; i++) {
                send(s, p, "green", n++);
            }
            send(s, p, "red", n++);
            send(s, p, "red", n++);
            assertEquals(greens, reds.receive(10_000).getIntProperty("n"));
            assertEquals(greens + 1, reds.receive(10_000).getIntProperty("n"));
            assertNull(reds.receive(200));

            // A consumer that selects them arrives while the first is still there: it gets every one, in order,
            // not redelivered (they were never delivered).
            MessageConsumer greensConsumer = s.createConsumer(q, "colour = 'green'");
            for (int i = 0; i < greens; i++) {
                Message m = greensConsumer.receive(10_000);
                assertEquals(i, m.getIntProperty("n"));
                assertFalse(m.getJMSRedelivered());
            }
            assertNull(greensConsumer.receive(200));
            assertNull(reds.receive(200));
        }
    }

    @Test
    void aConsumerWithoutSelectorTakesWhatNobodySelected() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("sel-rest");
            MessageConsumer reds = s.createConsumer(q, "colour = 'red'");
            c.start();
            MessageProducer p = s.createProducer(q);
            send(s, p, "green", 0);
            send(s, p, "red", 1);
            send(s, p, "yellow", 2);
            assertEquals(1, reds.receive(10_000).getIntProperty("n"));
            reds.close();
            MessageConsumer all = s.createConsumer(q);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(all.receive(10_000).getIntProperty("n"));
            }
            assertEquals(List.of(0, 2), got);
            assertNull(all.receive(200));
        }
    }

    @Test
    void invalidSelectorOnAQueueConsumerIsRefused() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(s.createQueue("sel-bad"), "n >"));
            s.createConsumer(s.createQueue("sel-bad"), "n > 1").close();
        }
    }

    @Test
    void aConsumerThatStopsTakingDoesNotStarveTheOthers() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url() + "?prefetch=5");
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("sel-starve");
            // Takes its 5 messages of prefetch and then nothing: the blues behind them wait for it.
            MessageConsumer blues = s.createConsumer(q, "colour = 'blue'");
            MessageConsumer reds = s.createConsumer(q, "colour = 'red'");
            c.start();
            MessageProducer p = s.createProducer(q);
            int blueCount = 600;
            for (int i = 0; i < blueCount; i++) {
                send(s, p, "blue", i);
            }
            for (int i = 0; i < 5; i++) {
                send(s, p, "red", blueCount + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(blueCount + i, reds.receive(10_000).getIntProperty("n"));
            }
            for (int i = 0; i < blueCount; i++) {
                assertEquals(i, blues.receive(10_000).getIntProperty("n"), "blues in order");
            }
            assertNull(blues.receive(200));
            assertNull(reds.receive(200));
        }
    }
}
