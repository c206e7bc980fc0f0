package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicSession;

/** Session and acknowledgement modes, in the JMS 1.1 (transacted, mode), JMS 2 (mode) and JMSContext forms. */
final class SessionScripts {
    private SessionScripts() {
    }

    private static final int[] MODES = {0, 1, 2, 3, 4, 99, -1};

    static void addTo(ScriptBook book) {
        book.add("session.legacy-modes", r -> {
            Connection c = r.connection();
            for (boolean transacted : new boolean[] {false, true}) {
                for (int mode : MODES) {
                    String label = "createSession(" + transacted + "," + mode + ")";
                    Session s = r.trace().call(label, () -> c.createSession(transacted, mode));
                    if (s != null) {
                        r.trace().call(label + ".getTransacted", s::getTransacted);
                        r.trace().call(label + ".getAcknowledgeMode", s::getAcknowledgeMode);
                    }
                }
            }
        });
        book.add("session.jms2-modes", r -> {
            Connection c = r.connection();
            for (int mode : MODES) {
                Session s = r.trace().call("createSession(" + mode + ")", () -> c.createSession(mode));
                if (s != null) {
                    r.trace().call(mode + ".getTransacted", s::getTransacted);
                    r.trace().call(mode + ".getAcknowledgeMode", s::getAcknowledgeMode);
                }
            }
            Session d = r.trace().call("createSession()", c::createSession);
            r.trace().call("().getTransacted", d::getTransacted);
            r.trace().call("().getAcknowledgeMode", d::getAcknowledgeMode);
        });
        book.add("session.context-modes", r -> {
            for (int mode : MODES) {
                JMSContext ctx = r.trace().call("createContext(" + mode + ")",
                        () -> r.closeLater(r.factory().createContext(mode)));
                if (ctx != null) {
                    r.trace().call(mode + ".getTransacted", ctx::getTransacted);
                    r.trace().call(mode + ".getSessionMode", ctx::getSessionMode);
                }
            }
        });
        book.add("session.queue-and-topic-sessions", r -> {
            QueueConnection qc = r.closeLater(((QueueConnectionFactory) r.factory()).createQueueConnection());
            QueueSession qs = qc.createQueueSession(false, 0);
            r.trace().call("queueSession(false,0).getTransacted", qs::getTransacted);
            r.trace().call("queueSession(false,0).getAcknowledgeMode", qs::getAcknowledgeMode);
            TopicConnection tc = r.closeLater(((TopicConnectionFactory) r.factory()).createTopicConnection());
            TopicSession ts = tc.createTopicSession(true, Session.AUTO_ACKNOWLEDGE);
            r.trace().call("topicSession(true,1).getTransacted", ts::getTransacted);
            r.trace().call("topicSession(true,1).getAcknowledgeMode", ts::getAcknowledgeMode);
        });
        book.add("session.not-transacted-mode-0-sends-are-kept", r -> {
            Connection c = r.connection();
            Session s = c.createSession(false, 0);
            Queue q = s.createQueue(r.name("q"));
            s.createProducer(q).send(s.createTextMessage("sent in createSession(false, 0)"));
            c.close();
            MessageConsumer consumer = r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            r.expect("after close", consumer);
        });
        book.add("session.not-transacted-mode-0-receives-are-acknowledged", r -> {
            Session sender = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = sender.createQueue(r.name("q"));
            sender.createProducer(q).send(sender.createTextMessage("one"));
            Connection c = r.connection();
            c.start();
            Session s = c.createSession(false, 0);
            r.expect("receive", s.createConsumer(q));
            c.close();
            r.absent("after close", r.startedSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q));
        });
        book.add("session.transaction-calls-by-mode", r -> {
            Connection c = r.connection();
            for (int mode : new int[] {1, 2, 3}) {
                Session s = c.createSession(mode);
                r.trace().run(mode + ".commit", s::commit);
                r.trace().run(mode + ".rollback", s::rollback);
                r.trace().run(mode + ".recover", s::recover);
            }
            Session t = c.createSession(Session.SESSION_TRANSACTED);
            r.trace().run("0.commit", t::commit);
            r.trace().run("0.rollback", t::rollback);
            r.trace().run("0.recover", t::recover);
        });
        book.add("session.domain-restrictions", r -> {
            QueueConnection qc = r.closeLater(((QueueConnectionFactory) r.factory()).createQueueConnection());
            QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            r.trace().call("queueSession.createTopic", () -> qs.createTopic(r.name("t")));
            r.trace().call("queueSession.createTemporaryTopic", qs::createTemporaryTopic);
            r.trace().call("queueSession.createDurableSubscriber",
                    () -> qs.createDurableSubscriber(null, "x"));
            r.trace().run("queueSession.unsubscribe", () -> qs.unsubscribe("x"));
            TopicConnection tc = r.closeLater(((TopicConnectionFactory) r.factory()).createTopicConnection());
            TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            r.trace().call("topicSession.createQueue", () -> ts.createQueue(r.name("q")));
            r.trace().call("topicSession.createTemporaryQueue", ts::createTemporaryQueue);
            r.trace().call("topicSession.createBrowser", () -> ts.createBrowser(null));
        });
    }
}
