package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

/** Connection set-up orders: client id after other calls, metadata, start and stop, close. */
final class ConnectionScripts {
    private ConnectionScripts() {
    }

    static void addTo(ScriptBook book) {
        book.add("connection.clientid-after-exception-listener", r -> {
            Connection c = r.connection();
            r.trace().run("setExceptionListener", () -> c.setExceptionListener(e -> { }));
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
            r.trace().call("getClientID", c::getClientID);
        });
        book.add("connection.clientid-after-get-exception-listener", r -> {
            Connection c = r.connection();
            r.trace().call("getExceptionListener", c::getExceptionListener);
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-metadata", r -> {
            Connection c = r.connection();
            r.trace().call("getMetaData.getJMSMajorVersion", () -> c.getMetaData().getJMSMajorVersion());
            r.trace().call("getMetaData.getJMSVersion", () -> c.getMetaData().getJMSVersion());
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-get-clientid", r -> {
            Connection c = r.connection();
            r.trace().call("getClientID", c::getClientID);
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-start", r -> {
            Connection c = r.connection();
            r.trace().run("start", c::start);
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-stop", r -> {
            Connection c = r.connection();
            r.trace().run("stop", c::stop);
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-create-session", r -> {
            Connection c = r.connection();
            r.trace().call("createSession", () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-twice", r -> {
            Connection c = r.connection();
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
            r.trace().run("setClientID again", () -> c.setClientID(r.name("cid2")));
            r.trace().run("setClientID same", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-null-and-empty", r -> {
            Connection c = r.connection();
            r.trace().run("setClientID(null)", () -> c.setClientID(null));
            Connection d = r.connection();
            r.trace().run("setClientID(\"\")", () -> d.setClientID(""));
        });
        book.add("connection.clientid-in-use", r -> {
            Connection a = r.connection();
            r.trace().run("a.setClientID", () -> a.setClientID(r.name("cid")));
            Connection b = r.connection();
            r.trace().run("b.setClientID same", () -> b.setClientID(r.name("cid")));
            r.trace().run("a.close", a::close);
            Connection c = r.connection();
            r.trace().run("c.setClientID after a closed", () -> c.setClientID(r.name("cid")));
        });
        book.add("connection.clientid-after-close", r -> {
            Connection c = r.connection();
            c.close();
            r.trace().run("setClientID", () -> c.setClientID(r.name("cid")));
            r.trace().call("getClientID", c::getClientID);
        });
        book.add("connection.calls-after-close", r -> {
            Connection c = r.connection();
            r.trace().run("close", c::close);
            r.trace().run("close again", c::close);
            r.trace().call("createSession", () -> c.createSession(false, Session.AUTO_ACKNOWLEDGE));
            r.trace().run("start", c::start);
            r.trace().run("stop", c::stop);
            r.trace().call("getMetaData", c::getMetaData);
            r.trace().call("getExceptionListener", c::getExceptionListener);
            r.trace().run("setExceptionListener", () -> c.setExceptionListener(null));
        });
        book.add("connection.stop-holds-delivery", r -> {
            Connection c = r.connection();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageConsumer consumer = s.createConsumer(q);
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("before start"));
            r.absent("receive while not started", consumer);
            c.start();
            r.expect("receive after start", consumer);
            c.stop();
            p.send(s.createTextMessage("while stopped"));
            r.absent("receive while stopped", consumer);
            r.trace().call("receiveNoWait while stopped", () -> consumer.receiveNoWait() == null);
            c.start();
            r.expect("receive after restart", consumer);
        });
        book.add("connection.start-twice-stop-twice", r -> {
            Connection c = r.connection();
            r.trace().run("start", c::start);
            r.trace().run("start", c::start);
            r.trace().run("stop", c::stop);
            r.trace().run("stop", c::stop);
        });
        book.add("connection.factory-create-context-clientid", r -> {
            var ctx = r.context(Session.AUTO_ACKNOWLEDGE);
            r.trace().run("setExceptionListener", () -> ctx.setExceptionListener(e -> { }));
            r.trace().run("setClientID", () -> ctx.setClientID(r.name("ctx")));
            r.trace().call("getClientID", ctx::getClientID);
            r.trace().call("createProducer", ctx::createProducer);
            r.trace().run("setClientID again", () -> ctx.setClientID(r.name("ctx2")));
        });
        book.add("connection.context-clientid-after-producer", r -> {
            var ctx = r.context(Session.AUTO_ACKNOWLEDGE);
            r.trace().call("createProducer", ctx::createProducer);
            r.trace().run("setClientID", () -> ctx.setClientID(r.name("ctx")));
        });
    }
}
