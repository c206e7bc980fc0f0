package io.heraldmq.tck.selector;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Jakarta Messaging 3.1, section 3.8.1 "Message selector syntax", evaluated by the broker on real deliveries:
 * literals, identifiers, header fields, comparison, arithmetic, BETWEEN, IN, LIKE with ESCAPE, IS NULL, and the
 * three-valued logic of section 3.8.1.2 (a message is selected only when the selector is TRUE, never when UNKNOWN).
 * <p>
 * Each selector gets a subscriber with {@code (selector) OR end = TRUE}: the six test messages have no {@code end}
 * property, so the OR leaves their outcome as the selector's own (TRUE stays TRUE; FALSE or UNKNOWN become UNKNOWN),
 * and a final sentinel with {@code end = TRUE} reaches every subscriber, so "nothing else arrives" needs no timeout.
 */
class SelectorGrammarIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("topic.default.partitions", "1"));

    private static Map<String, Set<Integer>> cases() {
        Map<String, Set<Integer>> c = new LinkedHashMap<>();
        c.put("colour = 'red'", Set.of(0, 3));
        c.put("colour <> 'red'", Set.of(1, 2, 5));
        c.put("weight > 2 AND weight < 10", Set.of(3, 4, 5));
        c.put("weight BETWEEN 2 AND 7", Set.of(0, 3, 4, 5));
        c.put("weight NOT BETWEEN 3 AND 7", Set.of(0, 1));
        c.put("colour IN ('red', 'green')", Set.of(0, 2, 3));
        c.put("colour NOT IN ('red', 'green')", Set.of(1, 5));
        // IN applies to string values: for a numeric property neither IN nor NOT IN is TRUE
        c.put("weight NOT IN ('2', '7')", Set.of());
        c.put("weight IN ('2', '7')", Set.of());
        c.put("name LIKE 'a%'", Set.of(0, 4));
        c.put("name LIKE 'bl\\_ue\\%x' ESCAPE '\\'", Set.of(1));
        c.put("name LIKE '_'", Set.of(5));
        c.put("name NOT LIKE 'a%'", Set.of(1, 2, 3, 5));
        c.put("name = 'it''s'", Set.of(3));
        c.put("weight IS NULL", Set.of(2));
        c.put("colour IS NOT NULL AND weight IS NULL", Set.of(2));
        c.put("weight * 2 + 1 = 15", Set.of(3));
        c.put("price / 2 < 1", Set.of(0, 2, 3));
        c.put("-weight < -6", Set.of(1, 3));
        c.put("weight = 5.0", Set.of(5));
        c.put("big > 9999999999", Set.of(4));
        c.put("price > 1.2E0", Set.of(0, 1));
        c.put("flag", Set.of(0, 3));
        c.put("NOT flag", Set.of(1));
        c.put("flag OR weight > 6", Set.of(0, 1, 3));
        c.put("flag = TRUE AND weight > 5", Set.of(3));
        c.put("missing = 1 OR TRUE", Set.of(0, 1, 2, 3, 4, 5));
        c.put("missing = 1 AND FALSE", Set.of());
        c.put("NOT (missing = 1)", Set.of());
        c.put("colour = 5", Set.of());
        c.put("JMSType = 'fruit'", Set.of(0, 2));
        c.put("JMSPriority > 4", Set.of(1, 3));
        c.put("JMSDeliveryMode = 'NON_PERSISTENT'", Set.of(1, 4));
        c.put("JMSCorrelationID = 'c0'", Set.of(0));
        c.put("JMSMessageID LIKE 'ID:%'", Set.of(0, 1, 2, 3, 4, 5));
        c.put("JMSTimestamp > 0 AND n < 2", Set.of(0, 1));
        c.put("(colour = 'red' OR colour = 'blue') AND NOT weight = 7", Set.of(0, 1));
        return c;
    }

    @Test
    void theBrokerSelectsExactlyWhatTheSelectorMakesTrue() throws JMSException {
        Map<String, Set<Integer>> cases = cases();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("grammar");
            Map<String, MessageConsumer> subscribers = new LinkedHashMap<>();
            for (String selector : cases.keySet()) {
                subscribers.put(selector, s.createConsumer(topic, "(" + selector + ") OR end = TRUE"));
            }
            c.start();
            MessageProducer p = s.createProducer(topic);
            send(s, p, 0, DeliveryMode.PERSISTENT, 4, m -> {
                m.setStringProperty("colour", "red");
                m.setIntProperty("weight", 2);
                m.setDoubleProperty("price", 1.5);
                m.setStringProperty("name", "apple");
                m.setJMSType("fruit");
                m.setBooleanProperty("flag", true);
                m.setJMSCorrelationID("c0");
            });
            send(s, p, 1, DeliveryMode.NON_PERSISTENT, 9, m -> {
                m.setStringProperty("colour", "blue");
                m.setShortProperty("weight", (short) 10);
                m.setFloatProperty("price", 3.25f);
                m.setStringProperty("name", "bl_ue%x");
                m.setJMSType("paint");
                m.setBooleanProperty("flag", false);
            });
            send(s, p, 2, DeliveryMode.PERSISTENT, 0, m -> {
                m.setStringProperty("colour", "green");
                m.setIntProperty("price", 0);
                m.setStringProperty("name", "grape");
                m.setJMSType("fruit");
            });
            send(s, p, 3, DeliveryMode.PERSISTENT, 5, m -> {
                m.setStringProperty("colour", "red");
                m.setLongProperty("weight", 7);
                m.setIntProperty("price", -1);
                m.setStringProperty("name", "it's");
                m.setBooleanProperty("flag", true);
            });
            send(s, p, 4, DeliveryMode.NON_PERSISTENT, 4, m -> {
                m.setByteProperty("weight", (byte) 3);
                m.setLongProperty("big", 10_000_000_000L);
                m.setStringProperty("name", "a_b");
            });
            send(s, p, 5, DeliveryMode.PERSISTENT, 4, m -> {
                m.setStringProperty("colour", "RED");
                m.setIntProperty("weight", 5);
                m.setStringProperty("name", "x");
            });
            Message end = s.createMessage();
            end.setBooleanProperty("end", true);
            p.send(end);

            for (Map.Entry<String, MessageConsumer> e : subscribers.entrySet()) {
                Set<Integer> got = new TreeSet<>();
                while (true) {
                    Message m = e.getValue().receive(10_000);
                    assertNotNull(m, "no sentinel for " + e.getKey());
                    if (m.propertyExists("end")) {
                        break;
                    }
                    got.add(m.getIntProperty("n"));
                }
                assertEquals(new TreeSet<>(cases.get(e.getKey())), got, e.getKey());
            }
        }
    }

    private interface Setup {
        void apply(Message m) throws JMSException;
    }

    private static void send(Session s, MessageProducer p, int n, int mode, int priority, Setup setup)
            throws JMSException {
        Message m = s.createMessage();
        m.setIntProperty("n", n);
        setup.apply(m);
        p.send(m, mode, priority, 0);
    }
}
