package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec 4.1 (point-to-point): each queue message goes to exactly one of the competing consumers. */
class QueueCompetingConsumersIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void competingListenersTogetherReceiveEachMessageExactlyOnce() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url() + "?prefetch=50");
        int count = 3000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger[] perConsumer = {new AtomicInteger(), new AtomicInteger()};
        try (Connection c1 = cf.createConnection(); Connection c2 = cf.createConnection()) {
            Connection[] connections = {c1, c2};
            for (int i = 0; i < 2; i++) {
                Session s = connections[i].createSession(false, Session.AUTO_ACKNOWLEDGE);
                AtomicInteger mine = perConsumer[i];
                s.createConsumer(s.createQueue("work")).setMessageListener(m -> {
                    try {
                        if (!seen.add(((TextMessage) m).getText())) {
                            duplicates.incrementAndGet();
                        }
                        mine.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                connections[i].start();
            }
            try (Connection pc = cf.createConnection()) {
                Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(ps.createQueue("work"));
                for (int i = 0; i < count; i++) {
                    p.send(ps.createTextMessage("w" + i));
                }
            }
            await().until(() -> seen.size() >= count);
            assertEquals(0, duplicates.get());
            assertEquals(count, perConsumer[0].get() + perConsumer[1].get());
            assertTrue(perConsumer[0].get() > 0 && perConsumer[1].get() > 0,
                    "both consumers should get work: " + perConsumer[0] + " / " + perConsumer[1]);
        }
    }

    @Test
    void unconsumedMessagesWaitForTheNextConsumerAndConsumedOnesAreGone() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("handover");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 10; i++) {
                p.send(s.createTextMessage("h" + i));
            }
            c.start();
            MessageConsumer first = s.createConsumer(q);
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                got.add(((TextMessage) first.receive(10_000)).getText());
            }
            first.close();
            MessageConsumer second = s.createConsumer(q);
            for (int i = 0; i < 6; i++) {
                TextMessage m = (TextMessage) second.receive(10_000);
                assertTrue(got.add(m.getText()), "duplicate " + m.getText());
                assertEquals(false, m.getJMSRedelivered(), "prefetched but never delivered: not redelivered");
            }
            assertNull(second.receive(200));
            assertEquals(10, got.size());
        }
    }
}
