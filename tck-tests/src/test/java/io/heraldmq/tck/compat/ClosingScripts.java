package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/** Closing producers, consumers, browsers, sessions and connections in every order, and calls afterwards. */
final class ClosingScripts {
    private ClosingScripts() {
    }

    static void addTo(ScriptBook book) {
        book.add("close.producer-then-use", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            r.trace().run("close", p::close);
            r.trace().run("close again", p::close);
            r.trace().run("send", () -> p.send(s.createTextMessage("x")));
            r.trace().call("getDeliveryMode", p::getDeliveryMode);
            r.trace().call("getDestination", p::getDestination);
        });
        book.add("close.consumer-then-use", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageConsumer c = s.createConsumer(q);
            r.trace().run("close", c::close);
            r.trace().run("close again", c::close);
            r.trace().call("receiveNoWait", c::receiveNoWait);
            r.trace().call("receive(10)", () -> c.receive(10));
            r.trace().call("getMessageSelector", c::getMessageSelector);
            r.trace().run("setMessageListener", () -> c.setMessageListener(m -> { }));
        });
        book.add("close.consumer-ends-a-blocked-receive", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer c = s.createConsumer(s.createQueue(r.name("q")));
            CompletableFuture<Message> waiting = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try {
                    waiting.complete(c.receive());
                } catch (Exception e) {
                    waiting.completeExceptionally(e);
                }
            }, "blocked-receive");
            receiver.start();
            // close only once the receive waits: a close before it began would make it a receive on a closed consumer
            await().atMost(Duration.ofMillis(Run.EXPECT_MS)).until(() -> receiver.getState() == Thread.State.WAITING
                    || receiver.getState() == Thread.State.TIMED_WAITING);
            r.trace().run("close", c::close);
            await().atMost(Duration.ofMillis(Run.EXPECT_MS)).until(waiting::isDone);
            r.trace().call("the blocked receive returned", () -> waiting.get() == null ? "null" : "a message");
        });
        book.add("close.session-then-use", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            MessageConsumer c = s.createConsumer(q);
            r.trace().run("session.close", s::close);
            r.trace().run("session.close again", s::close);
            r.trace().run("producer.send", () -> p.send(s.createTextMessage("x")));
            r.trace().call("consumer.receiveNoWait", c::receiveNoWait);
            r.trace().call("createTextMessage", () -> s.createTextMessage("x"));
            r.trace().call("createProducer", () -> s.createProducer(q));
            r.trace().call("createQueue", () -> s.createQueue(r.name("q")));
            r.trace().call("getAcknowledgeMode", s::getAcknowledgeMode);
            r.trace().call("getTransacted", s::getTransacted);
            r.trace().run("recover", s::recover);
        });
        book.add("close.connection-then-children", r -> {
            Connection c = r.connection();
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("one"));
            MessageConsumer consumer = s.createConsumer(q);
            Message m = r.expect("one", consumer);
            QueueBrowser browser = s.createBrowser(q);
            r.trace().run("connection.close", c::close);
            r.trace().run("producer.send", () -> p.send(s.createTextMessage("x")));
            r.trace().call("consumer.receiveNoWait", consumer::receiveNoWait);
            r.trace().call("browser.getEnumeration", browser::getEnumeration);
            r.trace().run("session.close", s::close);
            r.trace().run("consumer.close", consumer::close);
            r.trace().run("producer.close", p::close);
            r.trace().call("received message getText", () -> ((TextMessage) m).getText());
            r.trace().run("received message setText", () -> ((TextMessage) m).setText("y"));
        });
        book.add("close.browser-then-use", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            s.createProducer(q).send(s.createTextMessage("one"));
            QueueBrowser b = s.createBrowser(q);
            var e = b.getEnumeration();
            r.trace().call("hasMoreElements", e::hasMoreElements);
            r.trace().message("browsed", (Message) e.nextElement());
            r.trace().call("hasMoreElements", e::hasMoreElements);
            r.trace().run("close", b::close);
            r.trace().call("getEnumeration after close", b::getEnumeration);
            r.trace().call("getQueue after close", () -> b.getQueue().getQueueName());
            r.expect("still there", s.createConsumer(q));
        });
        book.add("close.session-with-unconsumed-buffer", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one", "two", "three");
            MessageConsumer c = s.createConsumer(q);
            r.expect("one", c);
            s.close();
            MessageConsumer next = r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            r.expect("two", next);
            r.expect("three", next);
            r.absent("then", next);
        });
    }
}
