package io.heraldmq.tck.queue;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, QueueBrowser (Session.createBrowser; the point-to-point domain): a browser looks at the
 * messages on a queue without removing them, optionally only those its selector matches; it must not return a
 * message before its delivery time; expired messages are not on the queue.
 */
class QueueBrowserIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static List<String> texts(Enumeration<?> e) throws Exception {
        List<String> out = new ArrayList<>();
        while (e.hasMoreElements()) {
            out.add(((TextMessage) e.nextElement()).getText());
        }
        return out;
    }

    private static List<String> sendTexts(Session s, Queue q, String prefix, int count) throws Exception {
        MessageProducer p = s.createProducer(q);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            p.send(s.createTextMessage(prefix + i));
            sent.add(prefix + i);
        }
        return sent;
    }

    @Test
    void browsingShowsEveryMessageInOrderAndConsumesNothing() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url() + "?prefetch=7").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-all");
            List<String> sent = sendTexts(s, q, "m", 25);
            QueueBrowser browser = s.createBrowser(q);
            assertEquals(q, browser.getQueue());
            assertNull(browser.getMessageSelector());
            // Each enumeration is a fresh look at the queue.
            assertEquals(sent, texts(browser.getEnumeration()));
            Enumeration<?> again = browser.getEnumeration();
            assertEquals(sent, texts(again));
            assertThrows(NoSuchElementException.class, again::nextElement);
            browser.close();

            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            for (String text : sent) {
                TextMessage m = (TextMessage) consumer.receive(10_000);
                assertEquals(text, m.getText());
                assertFalse(m.getJMSRedelivered(), "browsing does not count as a delivery");
                assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
            }
            assertNull(consumer.receive(200));
        }
    }

    @Test
    void consumedMessagesAreNoLongerShown() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-after-consume");
            List<String> sent = sendTexts(s, q, "c", 6);
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            Message last = null;
            for (int i = 0; i < 4; i++) {
                last = consumer.receive(10_000);
            }
            last.acknowledge();
            consumer.close();
            try (QueueBrowser browser = s.createBrowser(q)) {
                assertEquals(sent.subList(4, 6), texts(browser.getEnumeration()));
            }
        }
    }

    @Test
    void selectorLimitsWhatIsShown() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-selected");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 10; i++) {
                TextMessage m = s.createTextMessage("s" + i);
                m.setIntProperty("n", i);
                p.send(m);
            }
            try (QueueBrowser browser = s.createBrowser(q, "n >= 7 OR n = 2")) {
                assertEquals("n >= 7 OR n = 2", browser.getMessageSelector());
                assertEquals(List.of("s2", "s7", "s8", "s9"), texts(browser.getEnumeration()));
            }
            assertThrows(InvalidSelectorException.class, () -> s.createBrowser(q, "n >="));
        }
    }

    @Test
    void emptyQueueGivesAnEmptyEnumeration() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = s.createBrowser(s.createQueue("browse-empty"))) {
                assertFalse(browser.getEnumeration().hasMoreElements());
            }
        }
    }

    @Test
    void expiredAndNotYetDueMessagesAreNotShown() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-timed");
            MessageProducer p = s.createProducer(q);
            TextMessage expiring = s.createTextMessage("expiring");
            p.send(expiring, DeliveryMode.PERSISTENT, 4, 1);
            p.setDeliveryDelay(60_000);
            p.send(s.createTextMessage("later"));
            p.setDeliveryDelay(0);
            p.send(s.createTextMessage("plain"));
            await().until(() -> System.currentTimeMillis() > expiring.getJMSExpiration());
            try (QueueBrowser browser = s.createBrowser(q)) {
                assertEquals(List.of("plain"), texts(browser.getEnumeration()));
            }
        }
    }

    @Test
    void browsingWhileAConsumerHoldsUnacknowledgedMessagesShowsThem() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-in-flight");
            List<String> sent = sendTexts(s, q, "f", 3);
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            Message first = consumer.receive(10_000);
            try (QueueBrowser browser = s.createBrowser(q)) {
                // Delivered but not acknowledged: still on the queue.
                assertEquals(sent, texts(browser.getEnumeration()));
            }
            first.acknowledge();
        }
    }
}
