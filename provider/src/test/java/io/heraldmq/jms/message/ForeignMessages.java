package io.heraldmq.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test doubles standing in for another provider's messages and destinations: dynamic proxies over a little state,
 * answering just the calls {@link HeraldMessage#copyOf} and the destination conversion make.
 */
final class ForeignMessages {
    private ForeignMessages() {
    }

    /** The state behind a foreign message. */
    static final class State {
        final Map<String, Object> headers = new HashMap<>();
        final Map<String, Object> properties = new LinkedHashMap<>();
        String text;
        byte[] bytes = new byte[0];
        int pos;
        int resets;
        final Map<String, Object> map = new LinkedHashMap<>();
        final List<Object> stream = new ArrayList<>();
        Serializable object;
    }

    static Message plain(State s) {
        return proxy(Message.class, s);
    }

    static TextMessage text(State s) {
        return proxy(TextMessage.class, s);
    }

    static BytesMessage bytes(State s) {
        return proxy(BytesMessage.class, s);
    }

    static MapMessage map(State s) {
        return proxy(MapMessage.class, s);
    }

    static StreamMessage stream(State s) {
        return proxy(StreamMessage.class, s);
    }

    static ObjectMessage object(State s) {
        return proxy(ObjectMessage.class, s);
    }

    static Queue queue(String name) {
        return proxy(Queue.class, name);
    }

    static Topic topic(String name) {
        return proxy(Topic.class, name);
    }

    static TemporaryQueue temporaryQueue(String name) {
        return proxy(TemporaryQueue.class, name);
    }

    static TemporaryTopic temporaryTopic(String name) {
        return proxy(TemporaryTopic.class, name);
    }

    /** A destination that is neither a queue nor a topic. */
    static Destination oddDestination() {
        return proxy(Destination.class, "odd");
    }

    private static <T> T proxy(Class<T> type, String destinationName) {
        InvocationHandler h = (p, method, args) -> switch (method.getName()) {
            case "getQueueName", "getTopicName" -> destinationName;
            case "toString" -> "foreign " + type.getSimpleName() + " " + destinationName;
            case "hashCode" -> destinationName.hashCode();
            case "equals" -> p == args[0];
            case "delete" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return type.cast(Proxy.newProxyInstance(ForeignMessages.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static <T> T proxy(Class<T> type, State s) {
        InvocationHandler h = (p, method, args) -> {
            String n = method.getName();
            switch (n) {
                case "toString":
                    return "foreign " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(p);
                case "equals":
                    return p == args[0];
                case "getPropertyNames":
                    return Collections.enumeration(new ArrayList<>(s.properties.keySet()));
                case "getObjectProperty":
                    return s.properties.get((String) args[0]);
                case "getText":
                    return s.text;
                case "reset":
                    s.pos = 0;
                    s.resets++;
                    return null;
                case "getBodyLength":
                    return (long) s.bytes.length;
                case "readBytes": {
                    byte[] buf = (byte[]) args[0];
                    int len = args.length > 1 ? (Integer) args[1] : buf.length;
                    int left = s.bytes.length - s.pos;
                    if (left == 0) {
                        return -1;
                    }
                    int k = Math.min(len, left);
                    System.arraycopy(s.bytes, s.pos, buf, 0, k);
                    s.pos += k;
                    return k;
                }
                case "getMapNames":
                    return Collections.enumeration(new ArrayList<>(s.map.keySet()));
                case "readObject":
                    if (s.pos >= s.stream.size()) {
                        throw new MessageEOFException("end");
                    }
                    return s.stream.get(s.pos++);
                case "getObject":
                    return args == null ? s.object : s.map.get((String) args[0]);
                default:
                    break;
            }
            if (n.startsWith("getJMS")) {
                Object v = s.headers.get(n.substring(3));
                if (v == null && method.getReturnType().isPrimitive()) {
                    Class<?> r = method.getReturnType();
                    return r == long.class ? 0L : r == int.class ? 0 : (Object) false;
                }
                return v;
            }
            if (n.startsWith("setJMS")) {
                s.headers.put(n.substring(3), args[0]);
                return null;
            }
            if (n.startsWith("set") && n.endsWith("Property")) {
                s.properties.put((String) args[0], args[1]);
                return null;
            }
            throw new UnsupportedOperationException(n);
        };
        return type.cast(Proxy.newProxyInstance(ForeignMessages.class.getClassLoader(), new Class<?>[] {type}, h));
    }
}
