package io.heraldmq.jms.message;

import io.heraldmq.jms.HeraldDestination;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Wire;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A message with headers and properties and no body; the base of every HeraldMQ message type.
 * <p>
 * A new message has writable properties and body. A message made by {@link #fromWire} (a received message) has
 * read-only properties and body until {@link #clearProperties()} / {@link #clearBody()}. Header setters are plain
 * setters: the producer fills them in when sending and the application may change them on a received message.
 * <p>
 * Not thread-safe, like every Jakarta Messaging message.
 */
public class HeraldMessage implements Message {
    /** The mandatory JMSX property set on every received message. */
    public static final String JMSX_DELIVERY_COUNT = "JMSXDeliveryCount";

    private static final Set<String> RESERVED_NAMES = Set.of(
            "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    // ---- headers ----
    private String messageId;
    private long timestamp;
    private String correlationId;          // set as a String (or decoded from bytes for display)
    private byte[] correlationIdBytes;     // set as bytes; then correlationIdIsBytes
    private boolean correlationIdIsBytes;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;
    private String originConnection;

    // ---- properties ----
    private Map<String, Object> properties = new LinkedHashMap<>();
    private boolean propertiesReadOnly;

    // ---- body state ----
    private boolean bodyReadOnly;

    // ---- delivery ----
    private int deliveryPartition = -1;
    private long deliveryOffset = -1;
    private int deliveryCount;
    private AcknowledgeCallback acknowledgeCallback;

    /** A new message: body and properties writable. */
    public HeraldMessage() {
    }

    // =====================================================================================================
    // Wire conversion
    // =====================================================================================================

    /**
     * For sending: headers, properties, body encoded per {@link WireMessage}. Does not change the message; the wire
     * message may share this message's property map, so encode it before the message changes.
     */
    public WireMessage toWire() throws JMSException {
        WireMessage w = new WireMessage();
        w.bodyType = wireBodyType();
        w.persistent = deliveryMode != DeliveryMode.NON_PERSISTENT;
        w.priority = priority;
        w.expiration = expiration;
        w.deliveryTime = deliveryTime;
        w.timestamp = timestamp;
        w.messageId = checkedString("JMSMessageID", messageId);
        if (correlationIdIsBytes) {
            w.correlationId = correlationIdBytes.clone();
            w.correlationIdIsBytes = true;
        } else if (correlationId != null) {
            w.correlationId = correlationId.getBytes(StandardCharsets.UTF_8);
        }
        w.type = checkedString("JMSType", type);
        if (destination != null) {
            w.destinationKind = kindOf(destination);
            w.destination = checkedString("JMSDestination", nameOf(destination));
        }
        if (replyTo != null) {
            w.replyToKind = kindOf(replyTo);
            w.replyTo = checkedString("JMSReplyTo", nameOf(replyTo));
        }
        w.originConnection = checkedString("origin connection", originConnection);
        for (String name : properties.keySet()) {
            checkedString("property name", name);
        }
        if (properties.containsKey(JMSX_DELIVERY_COUNT)) {
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (!JMSX_DELIVERY_COUNT.equals(e.getKey())) {
                    w.properties.put(e.getKey(), e.getValue());
                }
            }
        } else {
            // lent, not copied: the producer encodes the wire message at once and changes nothing through it
            w.properties = properties;
        }
        w.body = encodeBody();
        return w;
    }

    /**
     * A received message: body and properties read-only; JMSRedelivered = deliveryCount &gt; 1; property
     * JMSXDeliveryCount = deliveryCount. Picks the subclass by {@code wire.bodyType}. The body is copied out of
     * {@code wire.body}, so the record buffer is not retained; map and stream bodies are parsed on first access (a
     * malformed body then shows up as a {@link MessageFormatException}). The message takes over
     * {@code wire.properties}: use a WireMessage for one message only.
     */
    public static HeraldMessage fromWire(WireMessage wire, int partition, long offset, int deliveryCount) {
        HeraldMessage m = switch (wire.bodyType) {
            case WireMessage.BODY_TEXT -> new HeraldTextMessage();
            case WireMessage.BODY_BYTES -> new HeraldBytesMessage();
            case WireMessage.BODY_MAP -> new HeraldMapMessage();
            case WireMessage.BODY_STREAM -> new HeraldStreamMessage();
            case WireMessage.BODY_OBJECT -> new HeraldObjectMessage();
            default -> new HeraldMessage();
        };
        m.deliveryMode = wire.persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        m.priority = wire.priority;
        m.expiration = wire.expiration;
        m.deliveryTime = wire.deliveryTime;
        m.timestamp = wire.timestamp;
        m.messageId = wire.messageId;
        if (wire.correlationId != null) {
            if (wire.correlationIdIsBytes) {
                m.correlationIdBytes = wire.correlationId.clone();
                m.correlationIdIsBytes = true;
            } else {
                m.correlationId = new String(wire.correlationId, StandardCharsets.UTF_8);
            }
        }
        m.type = wire.type;
        if (wire.destinationKind != null && wire.destination != null) {
            m.destination = HeraldDestination.of(wire.destinationKind, wire.destination);
        }
        if (wire.replyToKind != null && wire.replyTo != null) {
            m.replyTo = HeraldDestination.of(wire.replyToKind, wire.replyTo);
        }
        m.originConnection = wire.originConnection;
        // The decoded map is taken over, not copied: callers decode a WireMessage for this message alone.
        m.properties = wire.properties;
        m.properties.put(JMSX_DELIVERY_COUNT, deliveryCount);
        m.redelivered = deliveryCount > 1;
        m.deliveryPartition = partition;
        m.deliveryOffset = offset;
        m.deliveryCount = deliveryCount;
        m.decodeBody(wire.body == null ? null : wire.body.getBytes());
        m.propertiesReadOnly = true;
        m.setReadOnlyBody(true);
        return m;
    }

    /**
     * For sending another provider's message: a HeraldMessage of the matching type with the same headers
     * (JMSMessageID, JMSTimestamp, JMSCorrelationID, JMSDestination and JMSReplyTo converted by name to HeraldMQ
     * destinations, JMSDeliveryMode, JMSPriority, JMSExpiration, JMSDeliveryTime, JMSType), properties and body. The
     * producer stamps the foreign message before copying it, so the copy carries what send set. JMSRedelivered is
     * not copied. The copy is writable.
     * <p>
     * A foreign {@code BytesMessage} or {@code StreamMessage} is {@code reset()} to read it, and reset again
     * afterwards, so it is left in read-only mode with its pointer at the start.
     */
    public static HeraldMessage copyOf(Message foreign) throws JMSException {
        HeraldMessage m;
        if (foreign instanceof TextMessage) {
            m = new HeraldTextMessage();
        } else if (foreign instanceof BytesMessage) {
            m = new HeraldBytesMessage();
        } else if (foreign instanceof MapMessage) {
            m = new HeraldMapMessage();
        } else if (foreign instanceof StreamMessage) {
            m = new HeraldStreamMessage();
        } else if (foreign instanceof ObjectMessage) {
            m = new HeraldObjectMessage();
        } else {
            m = new HeraldMessage();
        }
        m.messageId = foreign.getJMSMessageID();
        m.timestamp = foreign.getJMSTimestamp();
        m.setJMSCorrelationID(foreign.getJMSCorrelationID());
        m.replyTo = foreign.getJMSReplyTo() == null ? null : toHeraldDestination(foreign.getJMSReplyTo());
        m.deliveryMode = foreign.getJMSDeliveryMode();
        m.priority = foreign.getJMSPriority();
        m.expiration = foreign.getJMSExpiration();
        m.deliveryTime = foreign.getJMSDeliveryTime();
        m.destination = foreign.getJMSDestination() == null ? null
                : toHeraldDestination(foreign.getJMSDestination());
        m.type = foreign.getJMSType();
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            m.setObjectProperty(name, foreign.getObjectProperty(name));
        }
        m.copyBodyFrom(foreign);
        return m;
    }

    /**
     * A HeraldMQ destination for any provider's queue or topic, by name; a temporary queue or topic keeps its
     * temporary kind. HeraldMQ destinations are returned as they are.
     */
    public static HeraldDestination toHeraldDestination(Destination d) throws JMSException {
        if (d instanceof HeraldDestination h) {
            return h;
        }
        return HeraldDestination.of(kindOf(d), nameOf(d));
    }

    static DestinationKind kindOf(Destination d) throws JMSException {
        if (d instanceof HeraldDestination h) {
            return h.kind();
        }
        if (d instanceof TemporaryQueue) {
            return DestinationKind.TEMPORARY_QUEUE;
        }
        if (d instanceof TemporaryTopic) {
            return DestinationKind.TEMPORARY_TOPIC;
        }
        if (d instanceof Queue) {
            return DestinationKind.QUEUE;
        }
        if (d instanceof Topic) {
            return DestinationKind.TOPIC;
        }
        throw new InvalidDestinationException("not a queue or topic: " + d);
    }

    static String nameOf(Destination d) throws JMSException {
        String name;
        if (d instanceof HeraldDestination h) {
            name = h.name();
        } else if (d instanceof Queue q) {
            name = q.getQueueName();
        } else if (d instanceof Topic t) {
            name = t.getTopicName();
        } else {
            throw new InvalidDestinationException("not a queue or topic: " + d);
        }
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("destination has no name: " + d);
        }
        return name;
    }

    private static String checkedString(String what, String s) throws MessageFormatException {
        if (s != null && s.length() > Wire.MAX_STRING_BYTES / 3
                && s.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_STRING_BYTES) {
            throw new MessageFormatException(what + " longer than " + Wire.MAX_STRING_BYTES + " bytes of UTF-8");
        }
        return s;
    }

    // ---- body hooks for subclasses ----

    /** The {@code WireMessage.BODY_*} constant of this message type. */
    byte wireBodyType() {
        return WireMessage.BODY_MESSAGE;
    }

    /** The body encoded per {@link WireMessage}, or null for no body; must not change the message. */
    Buffer encodeBody() throws JMSException {
        return null;
    }

    /** Installs a received body (a private copy; null = no body). */
    void decodeBody(byte[] body) {
    }

    /** Empties the body. */
    void clearBodyContent() {
    }

    /** Copies the body of another provider's message of the matching type. */
    void copyBodyFrom(Message foreign) throws JMSException {
    }

    // =====================================================================================================
    // Delivery state and acknowledgement
    // =====================================================================================================

    /** The partition the message was delivered from, or -1 for a message not received. */
    public int deliveryPartition() {
        return deliveryPartition;
    }

    /** The log offset the message was delivered from, or -1 for a message not received. */
    public long deliveryOffset() {
        return deliveryOffset;
    }

    /** How many times the message has been delivered (1 on first delivery), or 0 for a message not received. */
    public int deliveryCount() {
        return deliveryCount;
    }

    /** Called by {@link #acknowledge()}; null (the default) makes acknowledge() do nothing. */
    public void setAcknowledgeCallback(AcknowledgeCallback cb) {
        this.acknowledgeCallback = cb;
    }

    public AcknowledgeCallback getAcknowledgeCallback() {
        return acknowledgeCallback;
    }

    /** The id of the connection that sent the message (for noLocal), or null. */
    public String originConnection() {
        return originConnection;
    }

    public void setOriginConnection(String connectionId) {
        this.originConnection = connectionId;
    }

    @Override
    public void acknowledge() throws JMSException {
        AcknowledgeCallback cb = acknowledgeCallback;
        if (cb != null) {
            cb.acknowledge();
        }
    }

    // =====================================================================================================
    // Read-only states
    // =====================================================================================================

    public boolean isReadOnlyProperties() {
        return propertiesReadOnly;
    }

    public void setReadOnlyProperties(boolean readOnly) {
        this.propertiesReadOnly = readOnly;
    }

    public boolean isReadOnlyBody() {
        return bodyReadOnly;
    }

    /**
     * Makes the body read-only or writable. For {@code BytesMessage} and {@code StreamMessage} read-only is
     * read mode with the pointer at the start (as after {@code reset()}) and writable is write mode appending to
     * the current content.
     */
    public void setReadOnlyBody(boolean readOnly) {
        this.bodyReadOnly = readOnly;
    }

    void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("message body is read-only");
        }
    }

    void checkPropertiesWritable() throws MessageNotWriteableException {
        if (propertiesReadOnly) {
            throw new MessageNotWriteableException("message properties are read-only");
        }
    }

    // =====================================================================================================
    // Headers
    // =====================================================================================================

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The correlation id as bytes; a String correlation id is returned as its UTF-8 bytes. A copy. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdIsBytes) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    /** Copies the array; null clears the correlation id. */
    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        if (correlationID == null) {
            clearCorrelationId();
        } else {
            this.correlationIdBytes = correlationID.clone();
            this.correlationIdIsBytes = true;
            this.correlationId = null;
        }
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        clearCorrelationId();
        this.correlationId = correlationID;
    }

    /** The correlation id; one set as bytes is returned decoded as UTF-8. */
    @Override
    public String getJMSCorrelationID() {
        if (correlationIdIsBytes) {
            return new String(correlationIdBytes, StandardCharsets.UTF_8);
        }
        return correlationId;
    }

    private void clearCorrelationId() {
        this.correlationId = null;
        this.correlationIdBytes = null;
        this.correlationIdIsBytes = false;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // =====================================================================================================
    // Properties
    // =====================================================================================================

    /** Clears the properties (JMSXDeliveryCount included) and makes them writable. */
    @Override
    public void clearProperties() {
        properties.clear();
        propertiesReadOnly = false;
    }

    @Override
    public boolean propertyExists(String name) {
        return name != null && properties.containsKey(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return TypeConversions.toBoolean(property(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return TypeConversions.toByte(property(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return TypeConversions.toShort(property(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return TypeConversions.toInt(property(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return TypeConversions.toLong(property(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return TypeConversions.toFloat(property(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return TypeConversions.toDouble(property(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return TypeConversions.toStringValue(property(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return property(name);
    }

    private Object property(String name) {
        return name == null ? null : properties.get(name);
    }

    /** A snapshot of the property names, JMSX properties set by the provider included. */
    @Override
    public Enumeration<String> getPropertyNames() {
        return Collections.enumeration(new ArrayList<>(properties.keySet()));
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        putProperty(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        putProperty(name, value);
    }

    /** Accepts Boolean, Byte, Short, Integer, Long, Float, Double, String and null; anything else is refused. */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        if (value != null && !TypeConversions.isPropertyValueType(value)) {
            checkPropertiesWritable();
            checkPropertyName(name);
            throw new MessageFormatException("invalid property type " + value.getClass().getName());
        }
        putProperty(name, value);
    }

    private void putProperty(String name, Object value) throws JMSException {
        checkPropertiesWritable();
        checkPropertyName(name);
        properties.put(name, value);
    }

    /**
     * Property names must be message selector identifiers: a Java identifier that is not one of NULL, TRUE, FALSE,
     * NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE (compared ignoring case, as selector keywords are).
     *
     * @throws IllegalArgumentException for null, empty or invalid names
     */
    static void checkPropertyName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be null or empty");
        }
        int first = name.codePointAt(0);
        if (!Character.isJavaIdentifierStart(first)) {
            throw new IllegalArgumentException("invalid property name '" + name + "'");
        }
        for (int i = Character.charCount(first); i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                throw new IllegalArgumentException("invalid property name '" + name + "'");
            }
            i += Character.charCount(cp);
        }
        // the reserved words are 2 to 7 characters long: longer names skip the upper-casing (a hot path)
        if (name.length() <= 7 && RESERVED_NAMES.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("property name '" + name + "' is a reserved word");
        }
    }

    // =====================================================================================================
    // Body
    // =====================================================================================================

    /** Empties the body and makes it writable (write mode for bytes and stream messages). */
    @Override
    public void clearBody() throws JMSException {
        clearBodyContent();
        setReadOnlyBody(false);
    }

    /** A plain message has no body: null for any type. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        return null;
    }

    /** A plain message has no body: true for any type. */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) throws JMSException {
        return true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + messageId + ", destination=" + destination
                + ", properties=" + properties.keySet() + "]";
    }
}
