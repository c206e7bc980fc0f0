package io.heraldmq.tck.compat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * What a script observed, one line per observation, in a form that does not depend on the provider: which call threw
 * and with which standard exception type, what each getter returned, what each consumer received (body, user
 * properties, headers; message ids and timestamps only as present or absent, since they differ by nature). Two runs
 * of a script agree when their traces are equal.
 */
public final class Trace {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    /** A JMS call that returns something. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** A JMS call that returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Runs a call and records "label -> value" (for a String, number, boolean or null result), "label -> ok" (any other
     * result) or "label -> throws TYPE".
     *
     * @return its result, or null if it threw
     */
    public <T> T call(String label, Call<T> call) {
        try {
            T result = call.call();
            lines.add(label + " -> " + (plain(result) ? String.valueOf(result) : "ok"));
            return result;
        } catch (Exception | LinkageError e) {
            lines.add(label + " -> throws " + exceptionType(e));
            return null;
        }
    }

    /** Runs an action and records "label -> ok" or "label -> throws TYPE". */
    public boolean run(String label, Action action) {
        try {
            action.run();
            lines.add(label + " -> ok");
            return true;
        } catch (Exception | LinkageError e) {
            lines.add(label + " -> throws " + exceptionType(e));
            return false;
        }
    }

    /** Records an observation. */
    public void note(String label, Object value) {
        lines.add(label + " = " + value);
    }

    /** Records a received message (or none). */
    public void message(String label, Message m) {
        lines.add(label + " = " + describe(m));
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static boolean plain(Object o) {
        return o == null || o instanceof String || o instanceof Number || o instanceof Boolean
                || o instanceof Character;
    }

    /**
     * The standard type of an exception: the first class up its hierarchy in {@code jakarta.jms} or {@code java.*},
     * named with its package's last part ({@code jms.IllegalStateException}, {@code lang.IllegalStateException}).
     */
    public static String exceptionType(Throwable e) {
        Class<?> c = e.getClass();
        while (!(c.getName().startsWith("jakarta.jms.") || c.getName().startsWith("java."))) {
            c = c.getSuperclass();
        }
        String pkg = c.getPackageName();
        return pkg.substring(pkg.lastIndexOf('.') + 1) + "." + c.getSimpleName();
    }

    /** A provider-neutral description of a message: body, user properties and headers. */
    public static String describe(Message m) {
        if (m == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        try {
            b.append(body(m));
            TreeMap<String, Object> props = new TreeMap<>();
            for (var names = m.getPropertyNames(); names.hasMoreElements(); ) {
                String name = (String) names.nextElement();
                if (!name.startsWith("JMSX") && !name.startsWith("_")) {
                    Object v = m.getObjectProperty(name);
                    props.put(name, v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
                }
            }
            b.append(" props=").append(props);
            b.append(" redelivered=").append(m.getJMSRedelivered());
            b.append(" count=").append(deliveryCount(m));
            b.append(" priority=").append(m.getJMSPriority());
            b.append(" mode=").append(m.getJMSDeliveryMode());
            b.append(" dest=").append(destination(m.getJMSDestination()));
            if (m.getJMSReplyTo() != null) {
                b.append(" replyTo=").append(destination(m.getJMSReplyTo()));
            }
            if (m.getJMSType() != null) {
                b.append(" type=").append(m.getJMSType());
            }
            if (m.getJMSCorrelationID() != null) {
                b.append(" corr=").append(m.getJMSCorrelationID());
            }
            b.append(" id=").append(m.getJMSMessageID() == null ? "null"
                    : m.getJMSMessageID().startsWith("ID:") ? "ID:*" : "other");
            b.append(" expires=").append(m.getJMSExpiration() == 0 ? "never" : "set");
            b.append(" timestamp=").append(m.getJMSTimestamp() == 0 ? "0" : "set");
        } catch (JMSException e) {
            b.append(" !").append(exceptionType(e));
        }
        return b.toString();
    }

    private static Object deliveryCount(Message m) {
        try {
            return m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : "absent";
        } catch (JMSException e) {
            return exceptionType(e);
        }
    }

    private static String body(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            String text = t.getText();
            return "Text:" + (text == null ? "null" : text.length() > 40 ? text.length() + "chars#" + text.hashCode()
                    : text);
        }
        if (m instanceof BytesMessage bm) {
            return "Bytes:" + bm.getBodyLength();
        }
        if (m instanceof MapMessage mm) {
            TreeMap<String, Object> map = new TreeMap<>();
            for (var names = mm.getMapNames(); names.hasMoreElements(); ) {
                String name = (String) names.nextElement();
                map.put(name, mm.getObject(name));
            }
            return "Map:" + map;
        }
        if (m instanceof ObjectMessage om) {
            return "Object:" + om.getObject();
        }
        if (m instanceof StreamMessage) {
            return "Stream";
        }
        return "Message";
    }

    static String destination(Destination d) throws JMSException {
        if (d == null) {
            return "null";
        }
        // Every named destination of a script has a dot in its name; a temporary one has none. Artemis gives a
        // received message's temporary JMSDestination and JMSReplyTo as a plain Queue or Topic of that name.
        if (d instanceof TemporaryQueue || d instanceof Queue q && !q.getQueueName().contains(".")) {
            return "temp-queue";
        }
        if (d instanceof TemporaryTopic || d instanceof Topic t && !t.getTopicName().contains(".")) {
            return "temp-topic";
        }
        if (d instanceof Queue q) {
            return "queue:" + q.getQueueName();
        }
        if (d instanceof Topic t) {
            return "topic:" + t.getTopicName();
        }
        return d.getClass().getSimpleName();
    }
}
