package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/** Message listeners: a listener that throws, listener and receive on one consumer, calls from inside a listener. */
final class ListenerScripts {
    private ListenerScripts() {
    }

    private static boolean firstDeliveryOf(Message m, String text) {
        try {
            return !m.getJMSRedelivered() && text.equals(((jakarta.jms.TextMessage) m).getText());
        } catch (JMSException e) {
            return false;
        }
    }

    static void addTo(ScriptBook book) {
        for (int mode : new int[] {Session.AUTO_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE,
                Session.CLIENT_ACKNOWLEDGE, Session.SESSION_TRANSACTED}) {
            book.add("listener.throws-on-first-message-mode-" + mode, r -> {
                Connection c = r.connection();
                Session s = c.createSession(mode);
                Queue q = s.createQueue(r.name("q"));
                AcknowledgeScripts.send(r, q, "one", "two", "three");
                Run.Collector got = new Run.Collector(m -> firstDeliveryOf(m, "one"));
                s.createConsumer(q).setMessageListener(got);
                c.start();
                got.expect(r.trace(), "listener got", mode == Session.AUTO_ACKNOWLEDGE
                        || mode == Session.DUPS_OK_ACKNOWLEDGE ? 4 : 3);
            });
        }
        book.add("listener.then-receive", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer c = s.createConsumer(s.createQueue(r.name("q")));
            c.setMessageListener(m -> { });
            r.trace().call("receive", () -> c.receive(10));
            r.trace().call("receiveNoWait", c::receiveNoWait);
            r.trace().run("setMessageListener(null)", () -> c.setMessageListener(null));
            r.trace().call("receiveNoWait after removal", c::receiveNoWait);
            r.trace().call("getMessageListener", () -> c.getMessageListener() == null);
        });
        book.add("listener.set-before-start", r -> {
            Connection c = r.connection();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one", "two");
            Run.Collector got = new Run.Collector();
            s.createConsumer(q).setMessageListener(got);
            r.absent("a receiver on another session sees nothing", r.startedSession(Session.AUTO_ACKNOWLEDGE)
                    .createConsumer(s.createQueue(r.name("other"))));
            got.expect(r.trace(), "before start", 0);
            c.start();
            got.expect(r.trace(), "after start", 2);
        });
        book.add("listener.calls-from-inside", r -> {
            Connection c = r.connection();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one");
            CompletableFuture<String> done = new CompletableFuture<>();
            s.createConsumer(q).setMessageListener(m -> {
                Trace inner = new Trace();
                inner.run("connection.stop", c::stop);
                inner.run("session.close", s::close);
                inner.run("connection.close", c::close);
                done.complete(inner.lines().toString());
            });
            c.start();
            await().atMost(Duration.ofMillis(Run.EXPECT_MS)).until(done::isDone);
            r.trace().note("inside the listener", done.getNow(null));
        });
        book.add("listener.consumer-close-from-inside", r -> {
            Connection c = r.connection();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one", "two");
            CompletableFuture<String> done = new CompletableFuture<>();
            MessageConsumer consumer = s.createConsumer(q);
            consumer.setMessageListener(m -> {
                Trace inner = new Trace();
                inner.run("consumer.close", consumer::close);
                done.complete(inner.lines().toString());
            });
            c.start();
            await().atMost(Duration.ofMillis(Run.EXPECT_MS)).until(done::isDone);
            r.trace().note("inside the listener", done.getNow(null));
            MessageConsumer next = s.createConsumer(q);
            r.expect("next consumer", next);
            r.absent("then", next);
        });
    }
}
