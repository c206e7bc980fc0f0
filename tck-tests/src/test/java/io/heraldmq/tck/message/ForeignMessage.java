package io.heraldmq.tck.message;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

/**
 * A message of "another provider": a plain implementation of the {@code jakarta.jms} interfaces that HeraldMQ knows
 * nothing about, for section 3.12. Property getters do no conversions beyond what the tests need.
 */
class ForeignMessage implements Message {
    private final Map<String, Object> properties = new HashMap<>();
    private String messageId;
    private long timestamp;
    private byte[] correlationId;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority;

    @Override public String getJMSMessageID() { return messageId; }
    @Override public void setJMSMessageID(String id) { messageId = id; }
    @Override public long getJMSTimestamp() { return timestamp; }
    @Override public void setJMSTimestamp(long t) { timestamp = t; }
    @Override public byte[] getJMSCorrelationIDAsBytes() { return correlationId; }
    @Override public void setJMSCorrelationIDAsBytes(byte[] id) { correlationId = id; }
    @Override public void setJMSCorrelationID(String id) {
        correlationId = id == null ? null : id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    @Override public String getJMSCorrelationID() {
        return correlationId == null ? null : new String(correlationId, java.nio.charset.StandardCharsets.UTF_8);
    }
    @Override public Destination getJMSReplyTo() { return replyTo; }
    @Override public void setJMSReplyTo(Destination d) { replyTo = d; }
    @Override public Destination getJMSDestination() { return destination; }
    @Override public void setJMSDestination(Destination d) { destination = d; }
    @Override public int getJMSDeliveryMode() { return deliveryMode; }
    @Override public void setJMSDeliveryMode(int mode) { deliveryMode = mode; }
    @Override public boolean getJMSRedelivered() { return redelivered; }
    @Override public void setJMSRedelivered(boolean r) { redelivered = r; }
    @Override public String getJMSType() { return type; }
    @Override public void setJMSType(String t) { type = t; }
    @Override public long getJMSExpiration() { return expiration; }
    @Override public void setJMSExpiration(long e) { expiration = e; }
    @Override public long getJMSDeliveryTime() { return deliveryTime; }
    @Override public void setJMSDeliveryTime(long t) { deliveryTime = t; }
    @Override public int getJMSPriority() { return priority; }
    @Override public void setJMSPriority(int p) { priority = p; }
    @Override public void clearProperties() { properties.clear(); }
    @Override public boolean propertyExists(String name) { return properties.containsKey(name); }
    @Override public boolean getBooleanProperty(String name) { return (Boolean) properties.get(name); }
    @Override public byte getByteProperty(String name) { return (Byte) properties.get(name); }
    @Override public short getShortProperty(String name) { return (Short) properties.get(name); }
    @Override public int getIntProperty(String name) { return (Integer) properties.get(name); }
    @Override public long getLongProperty(String name) { return (Long) properties.get(name); }
    @Override public float getFloatProperty(String name) { return (Float) properties.get(name); }
    @Override public double getDoubleProperty(String name) { return (Double) properties.get(name); }
    @Override public String getStringProperty(String name) { return (String) properties.get(name); }
    @Override public Object getObjectProperty(String name) { return properties.get(name); }
    @Override public Enumeration<String> getPropertyNames() { return Collections.enumeration(properties.keySet()); }
    @Override public void setBooleanProperty(String name, boolean v) { properties.put(name, v); }
    @Override public void setByteProperty(String name, byte v) { properties.put(name, v); }
    @Override public void setShortProperty(String name, short v) { properties.put(name, v); }
    @Override public void setIntProperty(String name, int v) { properties.put(name, v); }
    @Override public void setLongProperty(String name, long v) { properties.put(name, v); }
    @Override public void setFloatProperty(String name, float v) { properties.put(name, v); }
    @Override public void setDoubleProperty(String name, double v) { properties.put(name, v); }
    @Override public void setStringProperty(String name, String v) { properties.put(name, v); }
    @Override public void setObjectProperty(String name, Object v) { properties.put(name, v); }
    @Override public void acknowledge() { }
    @Override public void clearBody() { }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("no body");
    }

    @Override
    public boolean isBodyAssignableTo(Class c) {
        return true;
    }
}
