package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;

/** Null destinations, unidentified producers, temporary destinations across connections. */
final class DestinationScripts {
    private DestinationScripts() {
    }

    static void addTo(ScriptBook book) {
        book.add("destination.unidentified-producer", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            MessageProducer p = s.createProducer(null);
            r.trace().call("getDestination", p::getDestination);
            r.trace().run("send(message)", () -> p.send(s.createTextMessage("no destination")));
            r.trace().run("send(null, message)", () -> p.send(null, s.createTextMessage("null destination")));
            r.trace().run("send(q, message)", () -> p.send(q, s.createTextMessage("to q")));
            r.expect("receive", s.createConsumer(q));
        });
        book.add("destination.identified-producer-other-destination", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(r.name("q"));
            Queue other = s.createQueue(r.name("other"));
            MessageProducer p = s.createProducer(q);
            r.trace().run("send(other, message)", () -> p.send(other, s.createTextMessage("x")));
            r.trace().run("send(q, message)", () -> p.send(q, s.createTextMessage("y")));
            r.trace().run("send(null, message)", () -> p.send(null, s.createTextMessage("z")));
            MessageConsumer c = s.createConsumer(q);
            r.absent("on q", c);
            r.absent("on other", s.createConsumer(other));
        });
        book.add("destination.null-consumers-and-browsers", r -> {
            Session s = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.trace().call("createConsumer(null)", () -> s.createConsumer(null));
            r.trace().call("createBrowser(null)", () -> s.createBrowser(null));
            r.trace().call("createDurableSubscriber(null)", () -> s.createDurableSubscriber(null, "x"));
            r.trace().call("createSharedConsumer(null)", () -> s.createSharedConsumer(null, "x"));
            r.trace().call("createQueue(null)", () -> s.createQueue(null));
            r.trace().call("createTopic(null)", () -> s.createTopic(null));
        });
        book.add("destination.context-producer-null", r -> {
            var ctx = r.context(Session.AUTO_ACKNOWLEDGE);
            r.trace().run("send(null, text)", () -> ctx.createProducer().send(null, "x"));
            r.trace().run("createConsumer(null)", () -> ctx.createConsumer(null));
        });
        book.add("temporary.queue-across-connections", r -> {
            Connection owner = r.connection();
            owner.start();
            Session s = owner.createSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue temp = s.createTemporaryQueue();
            Session other = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.trace().run("other connection sends", () -> other.createProducer(temp)
                    .send(other.createTextMessage("to temp")));
            r.trace().call("other connection consumes", () -> other.createConsumer(temp));
            r.trace().call("other connection browses", () -> other.createBrowser(temp));
            MessageConsumer mine = s.createConsumer(temp);
            r.expect("owner receives", mine);
            r.trace().run("delete with a consumer open", temp::delete);
            mine.close();
            r.trace().run("delete", temp::delete);
            r.trace().run("send after delete", () -> other.createProducer(temp)
                    .send(other.createTextMessage("late")));
            r.trace().call("consume after delete", () -> s.createConsumer(temp));
        });
        book.add("temporary.topic-across-connections", r -> {
            Connection owner = r.connection();
            owner.start();
            Session s = owner.createSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryTopic temp = s.createTemporaryTopic();
            MessageConsumer mine = s.createConsumer(temp);
            Session other = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.trace().call("other connection subscribes", () -> other.createConsumer(temp));
            r.trace().run("other connection publishes", () -> other.createProducer(temp)
                    .send(other.createTextMessage("to temp topic")));
            r.expect("owner receives", mine);
            mine.close();
            r.trace().run("delete", temp::delete);
        });
        book.add("temporary.after-owner-closes", r -> {
            Connection owner = r.connection();
            Session s = owner.createSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue temp = s.createTemporaryQueue();
            owner.close();
            Session other = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            r.trace().run("send after the owner closed", () -> other.createProducer(temp)
                    .send(other.createTextMessage("late")));
            r.trace().run("delete after the owner closed", temp::delete);
        });
        book.add("temporary.request-reply", r -> {
            Session server = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            Queue requests = server.createQueue(r.name("requests"));
            MessageConsumer serverIn = server.createConsumer(requests);
            Session client = r.startedSession(Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = client.createTemporaryQueue();
            Message request = client.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("c1");
            client.createProducer(requests).send(request);
            Message in = r.expect("request", serverIn);
            Message reply = server.createTextMessage("pong");
            reply.setJMSCorrelationID(in.getJMSCorrelationID());
            server.createProducer(in.getJMSReplyTo()).send(reply);
            r.expect("reply", client.createConsumer(replies));
        });
    }
}
