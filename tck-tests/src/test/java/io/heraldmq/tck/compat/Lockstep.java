package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a generated sequence on ActiveMQ Artemis and on HeraldMQ side by side, one op on each before the next, and
 * stops at the first op whose outcomes differ. Then it drains both queues on each broker: the messages left must be
 * the same (nothing lost, nothing duplicated).
 * <p>
 * A receive waits briefly on both; when one broker has a message and the other had none yet, the other is asked
 * again with a long wait, so a slower broker is not taken for a different one. A message the application never saw
 * before on its subscription may be marked redelivered by Artemis and not by HeraldMQ, and a redelivered one may have a
 * higher count on Artemis (Artemis counts a delivery for everything that sat in a consumer's buffer during a recover
 * or rollback; docs/compatibility.md): only those differences of the redelivered flag and delivery count pass.
 */
final class Lockstep {
    static final long SHORT_MS = 100;
    static final long LONG_MS = 5_000;

    /** The first op whose outcome differs, with both outcomes; {@code op} is null for the final drain. */
    record Divergence(int index, Op op, String artemis, String herald) {
        @Override
        public String toString() {
            return (op == null ? "draining the queues at the end" : "op " + index + ": " + op) + "\n  artemis:  "
                    + artemis + "\n  heraldmq: " + herald;
        }
    }

    private Lockstep() {
    }

    /** @return the first divergence, or null if the two brokers agreed throughout */
    static Divergence run(List<Op> ops, ConnectionFactory artemisFactory, ConnectionFactory heraldFactory,
                          String prefix) {
        try (World artemis = new World(artemisFactory, prefix); World herald = new World(heraldFactory, prefix)) {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                boolean a = artemis.canRun(op);
                boolean h = herald.canRun(op);
                if (a != h) {
                    return new Divergence(i, op, a ? "runs" : "its object was not created",
                            h ? "runs" : "its object was not created");
                }
                if (!a) {
                    continue;
                }
                String[] outcome = op.kind() == Op.Kind.RECEIVE ? receive(artemis, herald, op)
                        : new String[] {artemis.run(op), herald.run(op)};
                if (!outcome[0].equals(outcome[1])) {
                    return new Divergence(i, op, outcome[0], outcome[1]);
                }
            }
        }
        // The four drains wait for nothing but their own queue: run them at once.
        List<CompletableFuture<List<String>>> drains = new ArrayList<>();
        for (ConnectionFactory factory : List.of(artemisFactory, heraldFactory)) {
            for (int q = 0; q < 2; q++) {
                int queue = q;
                drains.add(CompletableFuture.supplyAsync(() -> drain(factory, prefix, queue), DRAINS));
            }
        }
        String left = List.of(drains.get(0).join(), drains.get(1).join()).toString();
        String leftHerald = List.of(drains.get(2).join(), drains.get(3).join()).toString();
        return left.equals(leftHerald) ? null : new Divergence(ops.size(), null, left, leftHerald);
    }

    private static final java.util.concurrent.ExecutorService DRAINS = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "lockstep-drain");
                t.setDaemon(true);
                return t;
            });

    private static String[] receive(World artemis, World herald, Op op) {
        Object a = artemis.receive(op, SHORT_MS);
        Object h = herald.receive(op, SHORT_MS);
        if (a == null && h instanceof Message) {
            a = artemis.receive(op, LONG_MS);
        }
        if (h == null && a instanceof Message) {
            h = herald.receive(op, LONG_MS);
        }
        if (a instanceof Message ma && h instanceof Message mh) {
            String seenAs = artemis.subscriptionOf(op) + "/" + text(ma);
            boolean firstTime = artemis.seen.add(seenAs);
            String da = Trace.describe(ma);
            String dh = Trace.describe(mh);
            // Artemis counts a delivery for every message that sat unseen in a consumer's buffer during a recover or
            // rollback: a higher count, and a first receipt marked redelivered, is that and nothing else.
            boolean artemisCountedUnseen = count(ma) > count(mh)
                    && (redelivered(ma) == redelivered(mh) || firstTime && !redelivered(mh));
            if (artemisCountedUnseen) {
                da = withoutRedelivery(da);
                dh = withoutRedelivery(dh);
            }
            return new String[] {da, dh};
        }
        return new String[] {describe(a), describe(h)};
    }

    private static String describe(Object received) {
        return received instanceof Message m ? Trace.describe(m) : String.valueOf(received);
    }

    private static String withoutRedelivery(String description) {
        return description.replaceAll(" redelivered=\\S+ count=\\S+", "");
    }

    private static int count(Message m) {
        try {
            return m.getIntProperty("JMSXDeliveryCount");
        } catch (JMSException | NumberFormatException e) {
            return 0;
        }
    }

    private static boolean redelivered(Message m) {
        try {
            return m.getJMSRedelivered();
        } catch (JMSException e) {
            return false;
        }
    }

    private static String text(Message m) {
        try {
            return m instanceof TextMessage t ? t.getText() : m.toString();
        } catch (JMSException e) {
            return "?";
        }
    }

    /** The texts left on a queue, sorted: what the sequence did not consume. */
    private static List<String> drain(ConnectionFactory factory, String prefix, int queue) {
        List<String> texts = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(prefix + "." + Op.DESTINATIONS[queue]
                    .substring(6)));
            for (Message m; (m = consumer.receive(texts.isEmpty() ? 300 : 200)) != null; ) {
                texts.add(text(m));
            }
        } catch (JMSException e) {
            texts.add("drain failed: " + Trace.exceptionType(e));
        }
        Collections.sort(texts);
        return texts;
    }
}
