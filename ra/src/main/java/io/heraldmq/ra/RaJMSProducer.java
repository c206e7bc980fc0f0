package io.heraldmq.ra;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JMSProducer of an {@link RaJMSContext}: the settings of Jakarta Messaging 3.1 section 7.3, applied to each
 * message it sends through the context's one anonymous MessageProducer. Property getters convert as the table of
 * section 3.5.4 says.
 */
final class RaJMSProducer implements JMSProducer {
    private final RaJMSContext context;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;
    private CompletionListener completionListener;
    private String correlationID;
    private byte[] correlationIDBytes;
    private String type;
    private Destination replyTo;

    RaJMSProducer(RaJMSContext context) {
        this.context = context;
    }

    // ---- send ----

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("destination is null");
        }
        if (message == null) {
            throw new MessageFormatRuntimeException("message is null");
        }
        try {
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                message.setObjectProperty(p.getKey(), p.getValue());
            }
            if (correlationIDBytes != null) {
                message.setJMSCorrelationIDAsBytes(correlationIDBytes);
            } else if (correlationID != null) {
                message.setJMSCorrelationID(correlationID);
            }
            if (type != null) {
                message.setJMSType(type);
            }
            if (replyTo != null) {
                message.setJMSReplyTo(replyTo);
            }
            MessageProducer p = context.producer();
            p.setDisableMessageID(disableMessageID);
            p.setDisableMessageTimestamp(disableMessageTimestamp);
            p.setDeliveryDelay(deliveryDelay);
            if (completionListener == null) {
                p.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                p.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
            }
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        MapMessage m = context.createMapMessage();
        if (body != null) {
            try {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
            } catch (JMSException e) {
                throw RaJMSContext.runtime(e);
            }
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        BytesMessage m = context.createBytesMessage();
        if (body != null) {
            try {
                m.writeBytes(body);
            } catch (JMSException e) {
                throw RaJMSContext.runtime(e);
            }
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    // ---- settings ----

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        disableMessageID = value;
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageID;
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new jakarta.jms.JMSRuntimeException("delivery mode must be PERSISTENT or NON_PERSISTENT, not "
                    + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new jakarta.jms.JMSRuntimeException("priority must be 0..9, not " + priority);
        }
        this.priority = priority;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        this.deliveryDelay = deliveryDelay;
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return deliveryDelay;
    }

    /** Jakarta EE forbids asynchronous sends in the web and EJB containers (Jakarta Messaging 3.1, 12.2). */
    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        if (completionListener != null) {
            throw new jakarta.jms.IllegalStateRuntimeException("asynchronous sends are not allowed in the"
                    + " application server (Jakarta Messaging 3.1, 12.2)");
        }
        this.completionListener = null;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    // ---- properties ----

    private JMSProducer put(String name, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be empty");
        }
        properties.put(name, value);
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return put(name, value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        if (value != null && !(value instanceof Boolean || value instanceof Number || value instanceof String)) {
            throw new MessageFormatRuntimeException("a property is a boolean, number or String, not "
                    + value.getClass().getName());
        }
        return put(name, value);
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.containsKey(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        Object v = properties.get(name);
        if (v == null || v instanceof String) {
            return Boolean.parseBoolean((String) v);
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw cannot(name, v, "boolean");
    }

    @Override
    public byte getByteProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Byte b) {
            return b;
        }
        return Byte.parseByte(string(name, v, "byte"));
    }

    @Override
    public short getShortProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Byte || v instanceof Short) {
            return ((Number) v).shortValue();
        }
        return Short.parseShort(string(name, v, "short"));
    }

    @Override
    public int getIntProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Byte || v instanceof Short || v instanceof Integer) {
            return ((Number) v).intValue();
        }
        return Integer.parseInt(string(name, v, "int"));
    }

    @Override
    public long getLongProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        return Long.parseLong(string(name, v, "long"));
    }

    @Override
    public float getFloatProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Float f) {
            return f;
        }
        return Float.parseFloat(string(name, v, "float"));
    }

    @Override
    public double getDoubleProperty(String name) {
        Object v = properties.get(name);
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        return Double.parseDouble(string(name, v, "double"));
    }

    @Override
    public String getStringProperty(String name) {
        Object v = properties.get(name);
        return v == null ? null : v.toString();
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(properties.keySet()));
    }

    /** A String property to parse, or the conversion error; a missing one parses as null (NumberFormatException). */
    private static String string(String name, Object v, String to) {
        if (v == null || v instanceof String) {
            if (v == null) {
                throw new NumberFormatException("no property " + name);
            }
            return (String) v;
        }
        throw cannot(name, v, to);
    }

    private static MessageFormatRuntimeException cannot(String name, Object v, String to) {
        return new MessageFormatRuntimeException("property " + name + " is a " + v.getClass().getSimpleName()
                + " and cannot be read as " + to);
    }

    // ---- headers ----

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationIDBytes = correlationID == null ? null : correlationID.clone();
        this.correlationID = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIDBytes == null ? null : correlationIDBytes.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        this.correlationID = correlationID;
        this.correlationIDBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationID;
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
