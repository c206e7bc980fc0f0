package io.heraldmq.tck.compat;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.util.List;

/** Selectors on headers and properties, and invalid selectors. */
final class SelectorScripts {
    private SelectorScripts() {
    }

    private static final List<String> SELECTORS = List.of(
            "JMSPriority > 5", "JMSPriority = 4", "JMSType = 'kind-a'", "JMSCorrelationID = 'c2'",
            "JMSDeliveryMode = 'PERSISTENT'", "JMSDeliveryMode = 'NON_PERSISTENT'", "JMSMessageID IS NOT NULL",
            "JMSTimestamp > 0", "JMSCorrelationID IS NULL", "color IN ('red', 'blue')", "n BETWEEN 2 AND 3",
            "name LIKE 'a%'", "name LIKE 'a\\_%' ESCAPE '\\'", "missing IS NULL", "NOT missing = 1", "n * 2 = 4",
            "flag", "flag = TRUE", "n = '2'", "n > 1.5", "JMSXGroupID = 'g'", "JMSXDeliveryCount = 1",
            "JMSRedelivered = FALSE", "JMSExpiration = 0");

    private static void sendSet(Run r, Session s, Queue q) throws Exception {
        MessageProducer p = s.createProducer(q);
        for (int n = 1; n <= 4; n++) {
            Message m = s.createTextMessage("m" + n);
            m.setIntProperty("n", n);
            m.setStringProperty("color", n % 2 == 0 ? "red" : "green");
            m.setStringProperty("name", n == 1 ? "a_b" : n == 2 ? "abc" : "xyz");
            m.setBooleanProperty("flag", n > 2);
            m.setJMSType(n == 3 ? "kind-a" : "kind-b");
            m.setJMSCorrelationID("c" + n);
            if (n == 4) {
                m.setStringProperty("JMSXGroupID", "g");
            }
            p.send(m, n % 2 == 0 ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT, n * 2, 0);
        }
    }

    static void addTo(ScriptBook book) {
        book.add("selector.headers-and-properties", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            // A queue and consumer per selector, all created before any send, then the same set sent to each. Which
            // messages are selected, not their order: a consumer gets them as they arrive, and Artemis orders its
            // client buffer by priority. One wait for stragglers in all: the first consumer's, after which every
            // queue's messages have long reached their consumers (a wait per selector made this script 30 s).
            List<MessageConsumer> consumers = new java.util.ArrayList<>();
            for (int i = 0; i < SELECTORS.size(); i++) {
                consumers.add(s.createConsumer(s.createQueue(r.name("q" + i)), SELECTORS.get(i)));
            }
            for (int i = 0; i < SELECTORS.size(); i++) {
                sendSet(r, s, s.createQueue(r.name("q" + i)));
            }
            for (int i = 0; i < SELECTORS.size(); i++) {
                MessageConsumer c = consumers.get(i);
                java.util.TreeSet<String> got = new java.util.TreeSet<>();
                for (Message m; (m = i == 0 ? c.receive(Run.ABSENT_MS * 2) : c.receiveNoWait()) != null; ) {
                    got.add(((jakarta.jms.TextMessage) m).getText());
                }
                r.trace().note(SELECTORS.get(i), got);
            }
        });
        book.add("selector.invalid", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            for (String selector : List.of("a = = b", "a LIKE 5", "(a = 1", "a IN ()", "'x' = ", "a BETWEEN 1",
                    "JMSFoo = 1", "a = 1 AND", "NULL", "a IS 1", "1 + 'x' = 2", "a = b = c")) {
                r.trace().call("createConsumer(" + selector + ")", () -> {
                    MessageConsumer c = s.createConsumer(q, selector);
                    c.close();
                    return "accepted";
                });
            }
            r.trace().call("empty selector", () -> s.createConsumer(q, "").getMessageSelector());
            r.trace().call("null selector", () -> s.createConsumer(q, null).getMessageSelector());
            r.trace().call("blank selector", () -> s.createConsumer(q, "  ").getMessageSelector());
        });
        book.add("selector.queue-leaves-unselected-messages", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            sendSet(r, s, q);
            MessageConsumer red = s.createConsumer(q, "color = 'red'");
            r.expect("red", red);
            r.expect("red", red);
            r.absent("red then", red);
            red.close();
            MessageConsumer rest = s.createConsumer(q);
            r.expect("rest", rest);
            r.expect("rest", rest);
            r.absent("rest then", rest);
        });
    }
}
