package io.heraldmq.tck.compat;

import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Expiration, delivery delay and priorities. */
final class TimingScripts {
    private TimingScripts() {
    }

    static void addTo(ScriptBook book) {
        book.add("expiration.expired-before-consumption", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.setTimeToLive(50);
            Message m = s.createTextMessage("short-lived");
            p.send(m);
            long expires = m.getJMSExpiration();
            r.trace().call("expiration = timestamp + ttl", () -> Math.abs(expires - m.getJMSTimestamp() - 50) <= 5);
            p.setTimeToLive(0);
            p.send(s.createTextMessage("long-lived"));
            await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expires + 20);
            MessageConsumer c = s.createConsumer(q);
            r.expect("first", c);
            r.absent("then", c);
        });
        book.add("expiration.headers", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.setTimeToLive(600_000);
            p.send(s.createTextMessage("ttl"));
            Message got = r.expect("received", s.createConsumer(q));
            r.trace().call("expiration - timestamp is the time to live",
                    () -> Math.abs(got.getJMSExpiration() - got.getJMSTimestamp() - 600_000) <= 5);
        });
        book.add("delay.delivery-delay", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            r.trace().run("setDeliveryDelay", () -> p.setDeliveryDelay(1500));
            Message m = s.createTextMessage("delayed");
            p.send(m);
            // Artemis reads the clock apart for the two (headers.set-by-send): a millisecond either way is the same.
            r.trace().call("delivery time - timestamp is the delay",
                    () -> Math.abs(m.getJMSDeliveryTime() - m.getJMSTimestamp() - 1500) <= 5);
            p.setDeliveryDelay(0);
            p.send(s.createTextMessage("at once"));
            MessageConsumer c = s.createConsumer(q);
            r.expect("first", c);
            r.absent("before the delay", c);
            Message late = r.expect("after the delay", c);
            r.trace().call("received delivery time - timestamp is the delay",
                    () -> Math.abs(late.getJMSDeliveryTime() - late.getJMSTimestamp() - 1500) <= 5);
        });
        book.add("priority.backlog-in-priority-order", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            int[] priorities = {3, 9, 0, 4, 7, 4, 1, 9, 5, 8, 2, 6};
            for (int i = 0; i < priorities.length; i++) {
                p.send(s.createTextMessage("m" + i), jakarta.jms.DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            MessageConsumer c = s.createConsumer(q);
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < priorities.length; i++) {
                Message m = c.receive(Run.EXPECT_MS);
                order.append(m == null ? "none" : ((jakarta.jms.TextMessage) m).getText() + "/" + m.getJMSPriority())
                        .append(' ');
            }
            r.trace().note("order", order.toString().trim());
        });
    }
}
