package io.heraldmq.tck.queue;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Jakarta Messaging 3.1, QueueBrowser, on a queue spread over several partitions: the enumeration shows every
 * message of every partition once and ends after the last partition is done; a consumer still gets them all.
 */
class QueueBrowserPartitionsIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("topic.default.partitions", "3"));

    @Test
    void browsingCoversEveryPartition() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url() + "?prefetch=4").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browse-partitions");
            MessageProducer p = s.createProducer(q);
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                p.send(s.createTextMessage("p" + i));
                sent.add("p" + i);
            }
            try (QueueBrowser browser = s.createBrowser(q)) {
                for (int round = 0; round < 2; round++) {
                    Set<String> seen = new HashSet<>();
                    int count = 0;
                    for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); count++) {
                        seen.add(((TextMessage) e.nextElement()).getText());
                    }
                    assertEquals(sent, seen);
                    assertEquals(30, count);
                }
            }
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                got.add(((TextMessage) consumer.receive(10_000)).getText());
            }
            assertEquals(sent, got);
            assertNull(consumer.receive(200));
        }
    }
}
