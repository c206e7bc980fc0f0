package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Producer flow control for NON_PERSISTENT sends (Jakarta Messaging 3.1, section 4.7 "Message delivery mode": a
 * NON_PERSISTENT message is delivered at most once; HeraldMQ paces such producers to their consumers): a producer
 * far ahead of its consumers is slowed down, never stopped, and no message is lost or reordered on the way, also
 * when producer and consumer share one connection.
 */
class ProducerFlowControlIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final int COUNT = 6000;
    private static final byte[] BODY = new byte[1024];

    @Test
    void aProducerFarAheadOfAConsumerThatDoesNotReceiveFinishesAndLosesNothing() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("flow-control-idle");
            MessageConsumer consumer = s.createConsumer(topic);
            c.start();
            MessageProducer p = s.createProducer(topic);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int i = 0; i < COUNT; i++) {
                p.send(message(s, i));
            }
            for (int i = 0; i < COUNT; i++) {
                Message m = consumer.receive(30_000);
                assertNotNull(m, "message " + i);
                assertEquals(i, m.getIntProperty("n"));
            }
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void slowListenersGetEveryMessageInOrder() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection consumers = cf.createConnection(); Connection producer = cf.createConnection()) {
            Topic topic;
            List<List<Integer>> received = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Session s = consumers.createSession(false, Session.AUTO_ACKNOWLEDGE);
                topic = s.createTopic("flow-control-listeners");
                List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                s.createConsumer(topic).setMessageListener(m -> {
                    try {
                        // Work per message, so that the producer is faster than the listener.
                        BytesMessage b = (BytesMessage) m;
                        byte[] body = new byte[(int) b.getBodyLength()];
                        for (int r = 0; r < 20; r++) {
                            b.reset();
                            b.readBytes(body);
                        }
                        mine.add(m.getIntProperty("n"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            consumers.start();
            Session ps = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            topic = ps.createTopic("flow-control-listeners");
            MessageProducer p = ps.createProducer(topic);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int i = 0; i < COUNT; i++) {
                p.send(message(ps, i));
            }
            await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> received.stream().allMatch(r -> r.size() >= COUNT));
            for (List<Integer> r : received) {
                assertEquals(COUNT, r.size());
                for (int i = 0; i < COUNT; i++) {
                    assertEquals(i, r.get(i));
                }
            }
        }
    }

    private static Message message(Session s, int n) throws Exception {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(BODY);
        m.setIntProperty("n", n);
        return m;
    }
}
