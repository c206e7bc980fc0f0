package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durable, shared durable and shared non-durable subscriptions through their life cycles; noLocal. */
final class SubscriptionScripts {
    private SubscriptionScripts() {
    }

    static Session clientSession(Run r, String clientId) throws Exception {
        Connection c = r.connection();
        c.setClientID(r.name(clientId));
        c.start();
        return c.createSession(Session.AUTO_ACKNOWLEDGE);
    }

    static void publish(Run r, Topic t, String... texts) throws Exception {
        Session s = r.connection().createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(t);
        for (String text : texts) {
            p.send(s.createTextMessage(text));
        }
    }

    /** Receives until nothing comes for a moment; returns the texts. */
    static List<String> drain(MessageConsumer c) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Message m; (m = c.receive(Run.ABSENT_MS * 2)) != null; ) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    static void addTo(ScriptBook book) {
        book.add("durable.life-cycle", r -> {
            Session s = clientSession(r, "cid");
            Topic t = s.createTopic(r.name("t"));
            MessageConsumer sub = s.createDurableSubscriber(t, "sub");
            publish(r, t, "one");
            r.expect("live", sub);
            r.trace().run("unsubscribe while open", () -> s.unsubscribe("sub"));
            r.trace().call("a second subscriber with the same name", () -> s.createDurableSubscriber(t, "sub"));
            r.trace().call("createDurableConsumer same name", () -> s.createDurableConsumer(t, "sub"));
            sub.close();
            publish(r, t, "two", "three");
            MessageConsumer back = s.createDurableSubscriber(t, "sub");
            r.expect("kept while closed", back);
            r.expect("kept while closed", back);
            back.close();
            r.trace().run("unsubscribe", () -> s.unsubscribe("sub"));
            r.trace().run("unsubscribe again", () -> s.unsubscribe("sub"));
            r.trace().run("unsubscribe unknown", () -> s.unsubscribe("never"));
        });
        book.add("durable.without-client-id", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(r.name("t"));
            MessageConsumer c = r.trace().call("createDurableSubscriber", () -> s.createDurableSubscriber(t, "sub"));
            if (c != null) {
                c.close();
                r.trace().run("unsubscribe", () -> s.unsubscribe("sub"));
            }
            MessageConsumer shared = r.trace().call("createSharedDurableConsumer",
                    () -> s.createSharedDurableConsumer(t, "shared"));
            if (shared != null) {
                shared.close();
                r.trace().run("unsubscribe shared", () -> s.unsubscribe("shared"));
            }
        });
        book.add("durable.changed-selector-or-topic-is-a-new-subscription", r -> {
            Session s = clientSession(r, "cid");
            Topic t = s.createTopic(r.name("t"));
            Topic other = s.createTopic(r.name("other"));
            s.createDurableSubscriber(t, "sub").close();
            publish(r, t, "kept");
            MessageConsumer changed = s.createDurableSubscriber(t, "sub", "color = 'red'", false);
            r.absent("after the selector changed", changed);
            changed.close();
            MessageConsumer same = s.createDurableSubscriber(t, "sub", "color = 'red'", false);
            same.close();
            publish(r, t, "kept2");
            MessageConsumer moved = s.createDurableSubscriber(other, "sub");
            r.absent("after the topic changed", moved);
            moved.close();
            s.unsubscribe("sub");
        });
        book.add("durable.no-local", r -> {
            Connection c = r.connection();
            c.setClientID(r.name("cid"));
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(r.name("t"));
            MessageConsumer sub = s.createDurableSubscriber(t, "sub", null, true);
            MessageConsumer plain = s.createConsumer(t, null, true);
            s.createProducer(t).send(s.createTextMessage("own"));
            publish(r, t, "foreign");
            r.expect("durable noLocal", sub);
            r.expect("plain noLocal", plain);
            r.absent("durable noLocal then", sub);
            sub.close();
            s.unsubscribe("sub");
        });
        book.add("shared.durable-life-cycle", r -> {
            Session a = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Session b = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = a.createTopic(r.name("t"));
            MessageConsumer ca = a.createSharedDurableConsumer(t, "shared");
            MessageConsumer cb = b.createSharedDurableConsumer(t, "shared");
            publish(r, t, "1", "2", "3", "4", "5", "6");
            List<String> all = new ArrayList<>();
            all.addAll(drain(ca));
            all.addAll(drain(cb));
            Collections.sort(all);
            r.trace().note("both together", all);
            r.trace().call("same name on another topic",
                    () -> a.createSharedDurableConsumer(a.createTopic(r.name("other")), "shared"));
            r.trace().call("same name, other selector", () -> a.createSharedDurableConsumer(t, "shared", "x = 1"));
            r.trace().run("unsubscribe while consumers are open", () -> a.unsubscribe("shared"));
            ca.close();
            cb.close();
            publish(r, t, "7");
            MessageConsumer back = a.createSharedDurableConsumer(t, "shared");
            r.expect("kept while none was open", back);
            back.close();
            r.trace().run("unsubscribe", () -> a.unsubscribe("shared"));
        });
        book.add("shared.durable-changed-selector-after-close", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(r.name("t"));
            s.createSharedDurableConsumer(t, "changing", "color = 'red'").close();
            publish(r, t, "kept by the old subscription");
            MessageConsumer changed = r.trace().call("same name, other selector, no consumer open",
                    () -> s.createSharedDurableConsumer(t, "changing", "color = 'blue'"));
            if (changed != null) {
                r.absent("the old subscription's message", changed);
                changed.close();
            }
            r.trace().run("unsubscribe", () -> s.unsubscribe("changing"));
        });
        book.add("shared.non-durable-life-cycle", r -> {
            Session a = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Session b = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = a.createTopic(r.name("t"));
            MessageConsumer ca = a.createSharedConsumer(t, "shared");
            MessageConsumer cb = b.createSharedConsumer(t, "shared");
            publish(r, t, "1", "2", "3", "4");
            List<String> all = new ArrayList<>();
            all.addAll(drain(ca));
            all.addAll(drain(cb));
            Collections.sort(all);
            r.trace().note("both together", all);
            r.trace().call("durable consumer with the same name",
                    () -> a.createSharedDurableConsumer(t, "shared"));
            ca.close();
            cb.close();
            publish(r, t, "lost");
            MessageConsumer back = a.createSharedConsumer(t, "shared");
            r.absent("after all closed", back);
        });
        book.add("shared.unshared-durable-name-clash", r -> {
            Session s = clientSession(r, "cid");
            Topic t = s.createTopic(r.name("t"));
            MessageConsumer unshared = s.createDurableConsumer(t, "sub");
            r.trace().call("shared with the unshared one's name", () -> s.createSharedDurableConsumer(t, "sub"));
            unshared.close();
            r.trace().call("shared after it closed", () -> s.createSharedDurableConsumer(t, "sub"));
            r.trace().run("unsubscribe", () -> s.unsubscribe("sub"));
        });
        book.add("topic.non-durable-subscriber-gets-only-what-follows", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(r.name("t"));
            publish(r, t, "before");
            MessageConsumer c = s.createConsumer(t);
            publish(r, t, "after");
            r.expect("first", c);
            r.absent("then", c);
        });
    }
}
