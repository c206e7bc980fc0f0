package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

/** Transacted sessions and contexts: commit, rollback, close, consumers closed inside a transaction. */
final class TransactionScripts {
    private TransactionScripts() {
    }

    static void addTo(ScriptBook book) {
        book.add("tx.send-rollback-and-commit", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("rolled back"));
            r.trace().run("rollback", s::rollback);
            p.send(s.createTextMessage("committed"));
            r.trace().run("commit", s::commit);
            MessageConsumer c = r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            r.expect("only", c);
            r.absent("then", c);
        });
        book.add("tx.receive-rollback-redelivers", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one", "two");
            MessageConsumer c = s.createConsumer(q);
            r.expect("one", c);
            r.expect("two", c);
            r.trace().run("rollback", s::rollback);
            r.expect("one again", c);
            r.expect("two again", c);
            r.trace().run("commit", s::commit);
            r.absent("then", c);
        });
        book.add("tx.consume-and-produce", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue in = s.createQueue(r.name("in"));
            Queue out = s.createQueue(r.name("out"));
            AcknowledgeScripts.send(r, in, "one");
            MessageConsumer c = s.createConsumer(in);
            MessageProducer p = s.createProducer(out);
            r.expect("in", c);
            p.send(s.createTextMessage("out"));
            r.trace().run("rollback", s::rollback);
            r.expect("in again", c);
            p.send(s.createTextMessage("out again"));
            r.trace().run("commit", s::commit);
            Session check = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.expect("out", check.createConsumer(out));
            r.absent("in left", check.createConsumer(in));
        });
        book.add("tx.close-rolls-back", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            Queue sent = s.createQueue(r.name("sent"));
            AcknowledgeScripts.send(r, q, "one");
            r.expect("one", s.createConsumer(q));
            s.createProducer(sent).send(s.createTextMessage("never"));
            r.trace().run("close", s::close);
            r.trace().run("commit after close", s::commit);
            Session check = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.expect("one again", check.createConsumer(q));
            r.absent("sent", check.createConsumer(sent));
        });
        book.add("tx.consumer-closed-before-commit", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one", "two");
            MessageConsumer c = s.createConsumer(q);
            r.expect("one", c);
            c.close();
            r.trace().run("commit", s::commit);
            MessageConsumer next = s.createConsumer(q);
            r.expect("two", next);
            next.close();
            r.trace().run("rollback", s::rollback);
            MessageConsumer again = s.createConsumer(q);
            r.expect("two again", again);
            s.commit();
            r.absent("then", again);
        });
        book.add("tx.connection-close-rolls-back", r -> {
            Connection conn = r.connection();
            conn.start();
            Session s = conn.createSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            AcknowledgeScripts.send(r, q, "one");
            r.expect("one", s.createConsumer(q));
            s.createProducer(q).send(s.createTextMessage("uncommitted"));
            conn.close();
            MessageConsumer check = r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            r.expect("one again", check);
            r.absent("then", check);
        });
        book.add("tx.receive-on-a-closed-consumer-then-commit", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("sent in the transaction"));
            MessageConsumer c = s.createConsumer(q);
            c.close();
            r.trace().call("receive on the closed consumer", () -> c.receive(10));
            r.trace().run("commit", s::commit);
            r.absent("committed?", r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q));
        });
        book.add("tx.topic-subscriber-created-before-commit", r -> {
            Session s = r.startedSession(Session.SESSION_TRANSACTED);
            jakarta.jms.Topic t = s.createTopic(r.name("t"));
            s.createProducer(t).send(s.createTextMessage("sent before the subscriber, committed after"));
            MessageConsumer late = r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(t);
            r.trace().run("commit", s::commit);
            r.absent("subscriber created between send and commit", late);
        });
        book.add("tx.context", r -> {
            JMSContext ctx = r.context(JMSContext.SESSION_TRANSACTED);
            Queue q = ctx.createQueue(r.name("q"));
            ctx.createProducer().send(q, "one");
            r.trace().run("rollback", ctx::rollback);
            ctx.createProducer().send(q, "two");
            r.trace().run("commit", ctx::commit);
            var consumer = ctx.createConsumer(q);
            r.trace().message("received", consumer.receive(Run.EXPECT_MS));
            r.trace().run("rollback", ctx::rollback);
            r.trace().message("again", consumer.receive(Run.EXPECT_MS));
            r.trace().run("commit", ctx::commit);
            r.trace().run("acknowledge", ctx::acknowledge);
            r.trace().run("recover", ctx::recover);
            r.trace().message("then", consumer.receive(Run.ABSENT_MS));
        });
    }
}
