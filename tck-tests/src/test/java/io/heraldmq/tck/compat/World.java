package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JMS objects of one generated sequence on one broker, and the calls that act on them. */
final class World implements AutoCloseable {
    private final ConnectionFactory factory;
    private final String prefix;
    private final Map<Integer, Connection> connections = new HashMap<>();
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final Map<Integer, MessageProducer> producers = new HashMap<>();
    private final Map<Integer, MessageConsumer> consumers = new HashMap<>();
    /** JMS has no getter for the session of a producer or consumer. */
    private final Map<Integer, Session> producerSessions = new HashMap<>();
    private final Map<Integer, Integer> consumerSessions = new HashMap<>();
    /** What a consumer reads: its queue, its own subscription (plain topic consumer) or a named subscription. */
    private final Map<Integer, String> subscriptions = new HashMap<>();
    private final Map<Integer, Message> lastReceived = new HashMap<>();
    /**
     * The messages the application has received, as "subscription/text", for the redelivered-flag rule of
     * {@link Lockstep}.
     */
    final Set<String> seen = new HashSet<>();

    World(ConnectionFactory factory, String prefix) {
        this.factory = factory;
        this.prefix = prefix;
    }

    /** Whether the objects the op acts on exist (they may not after shrinking). */
    boolean canRun(Op op) {
        return switch (op.kind()) {
            case CONNECTION -> true;
            case START, STOP, CLOSE_CONNECTION, SESSION -> connections.containsKey(op.a());
            case CLOSE_SESSION, PRODUCER, CONSUMER, ACKNOWLEDGE, COMMIT, ROLLBACK, RECOVER, UNSUBSCRIBE, BROWSE ->
                    sessions.containsKey(op.a());
            case SEND, CLOSE_PRODUCER -> producers.containsKey(op.a());
            case RECEIVE, CLOSE_CONSUMER -> consumers.containsKey(op.a());
        };
    }

    Destination destination(Session s, int index) throws Exception {
        String name = prefix + "." + Op.DESTINATIONS[index].substring(6);
        return Op.isQueue(index) ? s.createQueue(name) : s.createTopic(name);
    }

    /** Runs an op other than RECEIVE; records what it returned or threw. */
    String run(Op op) {
        Trace t = new Trace();
        switch (op.kind()) {
            case CONNECTION -> t.run("createConnection", () -> {
                Connection c = factory.createConnection();
                connections.put(op.id(), c);
                if (op.a() >= 0) {
                    c.setClientID(prefix + ".cid" + op.a());
                }
            });
            case START -> t.run("start", connections.get(op.a())::start);
            case STOP -> t.run("stop", connections.get(op.a())::stop);
            case CLOSE_CONNECTION -> t.run("close", connections.get(op.a())::close);
            case SESSION -> t.run("createSession", () -> sessions.put(op.id(), op.c() == 1
                    ? connections.get(op.a()).createSession(op.b() == 0, op.b())
                    : connections.get(op.a()).createSession(op.b())));
            case CLOSE_SESSION -> t.run("close", sessions.get(op.a())::close);
            case PRODUCER -> t.run("createProducer", () -> {
                Session s = sessions.get(op.a());
                producers.put(op.id(), s.createProducer(op.b() < 0 ? null : destination(s, op.b())));
                producerSessions.put(op.id(), s);
            });
            case SEND -> t.run("send", () -> send(op));
            case CLOSE_PRODUCER -> t.run("close", producers.get(op.a())::close);
            case CONSUMER -> t.run("createConsumer", () -> {
                consumers.put(op.id(), consumer(op));
                consumerSessions.put(op.id(), op.a());
                int kind = op.c() / 4;
                subscriptions.put(op.id(), Op.isQueue(op.b()) ? "queue " + op.b()
                        : kind == 0 ? "consumer " + op.id() : Op.subscription(kind, op.id()));
            });
            case CLOSE_CONSUMER -> t.run("close", consumers.get(op.a())::close);
            case ACKNOWLEDGE -> {
                Message m = lastReceived.get(op.a());
                if (m == null) {
                    return "nothing received";
                }
                t.run("acknowledge", m::acknowledge);
            }
            case COMMIT -> t.run("commit", sessions.get(op.a())::commit);
            case ROLLBACK -> t.run("rollback", sessions.get(op.a())::rollback);
            case RECOVER -> t.run("recover", sessions.get(op.a())::recover);
            case UNSUBSCRIBE -> t.run("unsubscribe", () -> sessions.get(op.a())
                    .unsubscribe(prefix + "." + Op.SUBSCRIPTIONS[op.b()]));
            case BROWSE -> t.call("browse", () -> browse(op));
            case RECEIVE -> throw new IllegalArgumentException("receives run through receive()");
        }
        return String.join("; ", t.lines());
    }

    private void send(Op op) throws Exception {
        MessageProducer p = producers.get(op.a());
        Session s = sessionOfProducer(op.a());
        TextMessage m = s.createTextMessage("m" + op.id());
        m.setIntProperty("n", op.id());
        m.setStringProperty("color", (op.c() & 2) != 0 ? "red" : "blue");
        int mode = (op.c() & 1) != 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        if (op.b() < 0) {
            p.send(m, mode, 4, 0);
        } else {
            p.send(destination(s, op.b()), m, mode, 4, 0);
        }
    }

    private Session sessionOfProducer(int producer) {
        return producerSessions.get(producer);
    }

    private MessageConsumer consumer(Op op) throws Exception {
        Session s = sessions.get(op.a());
        Destination d = destination(s, op.b());
        String selector = Op.SELECTORS[op.c() % 4];
        String name = prefix + "." + Op.subscription(op.c() / 4, op.id());
        return switch (op.c() / 4) {
            case 0 -> s.createConsumer(d, selector);
            case 1 -> s.createDurableConsumer((Topic) d, name, selector, false);
            case 2 -> s.createSharedConsumer((Topic) d, name, selector);
            default -> s.createSharedDurableConsumer((Topic) d, name, selector);
        };
    }

    private String browse(Op op) throws Exception {
        Session s = sessions.get(op.a());
        QueueBrowser b = s.createBrowser((jakarta.jms.Queue) destination(s, op.b()));
        List<String> texts = new ArrayList<>();
        for (Enumeration<?> e = b.getEnumeration(); e.hasMoreElements(); ) {
            texts.add(((TextMessage) e.nextElement()).getText());
        }
        b.close();
        Collections.sort(texts);
        return texts.toString();
    }

    /** receive(timeout); a message or null, or the exception type it threw as a string. */
    Object receive(Op op, long timeoutMs) {
        MessageConsumer c = consumers.get(op.a());
        try {
            Message m = c.receive(timeoutMs);
            if (m != null) {
                lastReceived.put(sessionOfConsumer(op.a()), m);
            }
            return m;
        } catch (Exception e) {
            return "throws " + Trace.exceptionType(e);
        }
    }

    /** The subscription a receive op reads from (see {@link #subscriptions}). */
    String subscriptionOf(Op receive) {
        return subscriptions.get(receive.a());
    }

    private int sessionOfConsumer(int consumer) {
        return consumerSessions.get(consumer);
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (Exception e) {
                // closed by the sequence, or broken: nothing to observe any more
            }
        }
    }
}
