package io.heraldmq.jms;

import io.heraldmq.jms.message.HeraldBytesMessage;
import io.heraldmq.jms.message.HeraldMapMessage;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.jms.message.HeraldObjectMessage;
import io.heraldmq.jms.message.HeraldTextMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;

import java.io.Serializable;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import static io.heraldmq.jms.JmsRuntimeExceptions.call;
import static io.heraldmq.jms.JmsRuntimeExceptions.run;

/**
 * The simplified API's producer: options, message properties and three message headers set fluently, applied to
 * every message it sends. It sends through its context's one anonymous {@link HeraldMessageProducer}.
 * <p>
 * The properties and headers are kept in a {@link HeraldMessage} so that names are checked and getters convert
 * exactly as a message's property getters do (the table of Jakarta Messaging 3.1, section 3.5.4).
 */
public class HeraldJMSProducer implements JMSProducer {
    private final HeraldJMSContext context;
    /** Holds the properties and the JMSCorrelationID, JMSType and JMSReplyTo headers set on this producer. */
    private final HeraldMessage settings = new HeraldMessage();
    private String correlationId;
    private byte[] correlationIdBytes;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private CompletionListener completionListener;

    protected HeraldJMSProducer(HeraldJMSContext context) {
        this.context = context;
    }

    // ---- send ----

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("message must not be null");
        }
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("destination must not be null");
        }
        context.checkClosed();
        run(() -> {
            applyTo(message);
            MessageProducer p = context.producer();
            p.setDisableMessageID(disableMessageID);
            p.setDisableMessageTimestamp(disableMessageTimestamp);
            p.setDeliveryDelay(deliveryDelay);
            if (completionListener == null) {
                p.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                p.send(destination, message, deliveryMode, priority, timeToLive,
                        context.completionListener(completionListener));
            }
        });
        return this;
    }

    private void applyTo(Message message) throws JMSException {
        for (String name : Collections.list(settings.getPropertyNames())) {
            message.setObjectProperty(name, settings.getObjectProperty(name));
        }
        if (correlationIdBytes != null) {
            message.setJMSCorrelationIDAsBytes(correlationIdBytes);
        } else if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        if (settings.getJMSType() != null) {
            message.setJMSType(settings.getJMSType());
        }
        if (settings.getJMSReplyTo() != null) {
            message.setJMSReplyTo(settings.getJMSReplyTo());
        }
    }

    /** A TextMessage; a null body is a TextMessage without text. */
    @Override
    public JMSProducer send(Destination destination, String body) {
        HeraldTextMessage m = new HeraldTextMessage();
        run(() -> m.setText(body));
        return send(destination, m);
    }

    /** A MapMessage; a null body is a MapMessage without entries. */
    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        HeraldMapMessage m = new HeraldMapMessage();
        if (body != null) {
            run(() -> {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
            });
        }
        return send(destination, m);
    }

    /** A BytesMessage; a null body is a BytesMessage without bytes. */
    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        HeraldBytesMessage m = new HeraldBytesMessage();
        if (body != null) {
            run(() -> m.writeBytes(body));
        }
        return send(destination, m);
    }

    /** An ObjectMessage; a null body is an ObjectMessage without an object. */
    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        HeraldObjectMessage m = new HeraldObjectMessage();
        run(() -> m.setObject(body));
        return send(destination, m);
    }

    // ---- options ----

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
            throw new JMSRuntimeException("invalid delivery mode " + deliveryMode);
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
            throw new JMSRuntimeException("priority must be 0-9, was " + priority);
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

    /** Null makes sends synchronous again. */
    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        this.completionListener = completionListener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    // ---- properties ----

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        run(() -> settings.setBooleanProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        run(() -> settings.setByteProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        run(() -> settings.setShortProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        run(() -> settings.setIntProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        run(() -> settings.setLongProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        run(() -> settings.setFloatProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        run(() -> settings.setDoubleProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        run(() -> settings.setStringProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        run(() -> settings.setObjectProperty(name, value));
        return this;
    }

    @Override
    public JMSProducer clearProperties() {
        settings.clearProperties();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return settings.propertyExists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return call(() -> settings.getBooleanProperty(name));
    }

    @Override
    public byte getByteProperty(String name) {
        return call(() -> settings.getByteProperty(name));
    }

    @Override
    public short getShortProperty(String name) {
        return call(() -> settings.getShortProperty(name));
    }

    @Override
    public int getIntProperty(String name) {
        return call(() -> settings.getIntProperty(name));
    }

    @Override
    public long getLongProperty(String name) {
        return call(() -> settings.getLongProperty(name));
    }

    @Override
    public float getFloatProperty(String name) {
        return call(() -> settings.getFloatProperty(name));
    }

    @Override
    public double getDoubleProperty(String name) {
        return call(() -> settings.getDoubleProperty(name));
    }

    @Override
    public String getStringProperty(String name) {
        return call(() -> settings.getStringProperty(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return settings.getObjectProperty(name);
    }

    /** An unmodifiable view: later changes to this producer's properties show in it. */
    @Override
    public Set<String> getPropertyNames() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return Collections.unmodifiableList(Collections.list(settings.getPropertyNames())).iterator();
            }

            @Override
            public int size() {
                return Collections.list(settings.getPropertyNames()).size();
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String s && settings.propertyExists(s);
            }
        };
    }

    // ---- headers ----

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        correlationIdBytes = correlationID == null ? null : correlationID.clone();
        correlationId = null;
        settings.setJMSCorrelationIDAsBytes(correlationID);
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return settings.getJMSCorrelationIDAsBytes();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        correlationId = correlationID;
        correlationIdBytes = null;
        settings.setJMSCorrelationID(correlationID);
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return settings.getJMSCorrelationID();
    }

    @Override
    public JMSProducer setJMSType(String type) {
        settings.setJMSType(type);
        return this;
    }

    @Override
    public String getJMSType() {
        return settings.getJMSType();
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        settings.setJMSReplyTo(replyTo);
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return settings.getJMSReplyTo();
    }
}
