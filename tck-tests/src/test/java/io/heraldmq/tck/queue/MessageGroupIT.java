package io.heraldmq.tck.queue;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.5.9 (JMSXGroupID, JMSXGroupSeq): the messages of one group on a queue are all
 * delivered to the same consumer, in order, while it is there; when it closes the group moves to another consumer.
 */
class MessageGroupIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private record Got(int consumer, String group, int seq) {
    }

    @Test
    void eachGroupStaysWithOneConsumerAndMovesWhenItCloses() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url() + "?prefetch=10");
        List<Got> got = Collections.synchronizedList(new ArrayList<>());
        try (Connection c = cf.createConnection()) {
            Session[] sessions = {c.createSession(false, Session.AUTO_ACKNOWLEDGE),
                    c.createSession(false, Session.AUTO_ACKNOWLEDGE)};
            Queue q = sessions[0].createQueue("groups");
            MessageConsumer[] consumers = new MessageConsumer[2];
            for (int i = 0; i < 2; i++) {
                int me = i;
                consumers[i] = sessions[i].createConsumer(q);
                consumers[i].setMessageListener(m -> {
                    try {
                        got.add(new Got(me, m.getStringProperty("JMSXGroupID"), m.getIntProperty("JMSXGroupSeq")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            c.start();
            String[] groups = {"a", "b", "c"};
            int perGroup = 20;
            try (Connection pc = cf.createConnection()) {
                Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(q);
                for (int seq = 1; seq <= perGroup; seq++) {
                    for (String g : groups) {
                        Message m = ps.createMessage();
                        m.setStringProperty("JMSXGroupID", g);
                        m.setIntProperty("JMSXGroupSeq", seq);
                        p.send(m);
                    }
                }
            }
            await().until(() -> got.size() == groups.length * perGroup);
            Map<String, Integer> owner = new HashMap<>();
            Map<String, List<Integer>> seqs = new HashMap<>();
            synchronized (got) {
                for (Got g : got) {
                    Integer previous = owner.putIfAbsent(g.group, g.consumer);
                    assertTrue(previous == null || previous == g.consumer,
                            "group " + g.group + " went to consumers " + previous + " and " + g.consumer);
                    seqs.computeIfAbsent(g.group, k -> new ArrayList<>()).add(g.seq);
                }
            }
            List<Integer> inOrder = new ArrayList<>();
            for (int seq = 1; seq <= perGroup; seq++) {
                inOrder.add(seq);
            }
            for (String g : groups) {
                assertEquals(inOrder, seqs.get(g), "group " + g + " in order");
            }
            Set<Integer> used = new HashSet<>(owner.values());
            assertEquals(2, used.size(), "three groups spread over both consumers: " + owner);

            // The owner of group "a" closes: the group continues on the other consumer.
            int closing = owner.get("a");
            int other = 1 - closing;
            consumers[closing].close();
            got.clear();
            try (Connection pc = cf.createConnection()) {
                Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(q);
                for (int seq = perGroup + 1; seq <= perGroup + 5; seq++) {
                    Message m = ps.createMessage();
                    m.setStringProperty("JMSXGroupID", "a");
                    m.setIntProperty("JMSXGroupSeq", seq);
                    p.send(m);
                }
            }
            await().until(() -> got.size() == 5);
            synchronized (got) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(new Got(other, "a", perGroup + 1 + i), got.get(i));
                }
            }
        }
    }

    @Test
    void unacknowledgedMessagesOfAGroupMoveInOrderWithIt() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session first = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = first.createQueue("groups-handover");
            MessageConsumer owner = first.createConsumer(q);
            c.start();
            MessageProducer p = first.createProducer(q);
            for (int seq = 1; seq <= 6; seq++) {
                Message m = first.createMessage();
                m.setStringProperty("JMSXGroupID", "g");
                m.setIntProperty("JMSXGroupSeq", seq);
                p.send(m);
            }
            assertEquals(1, owner.receive(10_000).getIntProperty("JMSXGroupSeq"));
            owner.receive(10_000).acknowledge();
            assertEquals(3, owner.receive(10_000).getIntProperty("JMSXGroupSeq"));
            Session second = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = second.createConsumer(q);
            assertNull(next.receive(300), "the group stays with its consumer while it is there");
            owner.close();
            // CLIENT_ACKNOWLEDGE: what the closed consumer delivered stays the session's until it acknowledges,
            // recovers or closes (as in Artemis), and the group with it.
            assertNull(next.receive(300), "the group stays with the unacknowledged message");
            first.recover();
            Message m3 = next.receive(10_000);
            assertEquals(3, m3.getIntProperty("JMSXGroupSeq"));
            assertTrue(m3.getJMSRedelivered(), "seen by the closed consumer's application");
            for (int seq = 4; seq <= 6; seq++) {
                assertEquals(seq, next.receive(10_000).getIntProperty("JMSXGroupSeq"));
            }
            assertNull(next.receive(200));
        }
    }
}
