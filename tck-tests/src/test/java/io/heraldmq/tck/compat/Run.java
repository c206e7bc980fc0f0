package io.heraldmq.tck.compat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * One run of a script against one broker: its connection factory, destination names that are the same on every
 * broker and unique among runs, the trace, and the connections and contexts to close when the run ends.
 */
public final class Run implements AutoCloseable {
    /** How long to wait for a message that should come. */
    public static final long EXPECT_MS = 10_000;
    /** How long to wait before concluding that a message does not come. */
    public static final long ABSENT_MS = 300;

    private final ConnectionFactory factory;
    private final String prefix;
    private final Trace trace = new Trace();
    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());

    public Run(ConnectionFactory factory, String prefix) {
        this.factory = factory;
        this.prefix = prefix;
    }

    public Trace trace() {
        return trace;
    }

    public ConnectionFactory factory() {
        return factory;
    }

    /** A destination (or client id, or subscription) name unique to this run and equal on every broker. */
    public String name(String base) {
        return prefix + "." + base;
    }

    /** A new connection, closed at the end of the run. */
    public Connection connection() throws JMSException {
        return closeLater(factory.createConnection());
    }

    /** A new started connection with a session of this mode (as {@code createSession(int)}). */
    public Session startedSession(int mode) throws JMSException {
        Connection c = connection();
        c.start();
        return c.createSession(mode);
    }

    public JMSContext context(int mode) {
        return closeLater(factory.createContext(mode));
    }

    public <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** Receives a message that should come, and records it. */
    public Message expect(String label, MessageConsumer consumer) {
        Message m = trace.call(label, () -> consumer.receive(EXPECT_MS));
        trace.message(label, m);
        return m;
    }

    /** Waits briefly for a message that should not come, and records what came. */
    public Message absent(String label, MessageConsumer consumer) {
        Message m = trace.call(label, () -> consumer.receive(ABSENT_MS));
        if (m != null) {
            trace.message(label, m);
        }
        return m;
    }

    /** Records every message of a listener, in order, as it saw them. */
    public static final class Collector implements MessageListener {
        private final List<String> got = Collections.synchronizedList(new ArrayList<>());
        private final Predicate<Message> throwFor;

        public Collector() {
            this(m -> false);
        }

        /** @param throwFor the listener throws a RuntimeException for the messages this accepts (after recording) */
        public Collector(Predicate<Message> throwFor) {
            this.throwFor = throwFor;
        }

        @Override
        public void onMessage(Message m) {
            got.add(Trace.describe(m));
            if (throwFor.test(m)) {
                throw new RuntimeException("listener refuses " + Trace.describe(m));
            }
        }

        /** Waits until {@code count} messages came, then records them all. */
        public void expect(Trace trace, String label, int count) {
            try {
                await().atMost(Duration.ofMillis(EXPECT_MS)).until(() -> got.size() >= count);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // recorded below as what came
            }
            synchronized (got) {
                trace.note(label, List.copyOf(got));
            }
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (toClose) {
            all = new ArrayList<>(toClose);
        }
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed or broken by the script: nothing more to observe
            }
        }
    }
}
