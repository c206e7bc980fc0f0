package io.heraldmq.connect.jdbc;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import java.time.Instant;
import java.util.List;

/**
 * What one column is filled from, as written after {@code =} in {@code columns}:
 * <ul>
 * <li>{@code body}: a TextMessage's text (String) or a BytesMessage's bytes (byte[]); any other kind of message
 * cannot be mapped;</li>
 * <li>a JMS header by its name: {@code JMSMessageID}, {@code JMSCorrelationID}, {@code JMSType} (String),
 * {@code JMSTimestamp}, {@code JMSExpiration}, {@code JMSDeliveryTime} (Instant; 0 is null),
 * {@code JMSPriority}, {@code JMSDeliveryMode} (Integer), {@code JMSRedelivered} (Boolean),
 * {@code JMSDestination}, {@code JMSReplyTo} (String, {@code queue://NAME} or {@code topic://NAME});</li>
 * <li>any other name: the message property of that name, as the sender typed it ({@code JMSX} properties such as
 * {@code JMSXDeliveryCount} and {@code JMSXGroupID} included); a property the message lacks is null.</li>
 * </ul>
 * Other names starting with {@code JMS} are refused, so a misspelt header is not silently read as a property.
 */
record MessageField(Kind kind, String name) {
    enum Kind { BODY, HEADER, PROPERTY }

    static final String BODY = "body";
    static final List<String> HEADERS = List.of("JMSMessageID", "JMSCorrelationID", "JMSType", "JMSTimestamp",
            "JMSExpiration", "JMSDeliveryTime", "JMSPriority", "JMSDeliveryMode", "JMSRedelivered", "JMSDestination",
            "JMSReplyTo");

    static MessageField parse(String text) {
        if (text.equals(BODY)) {
            return new MessageField(Kind.BODY, text);
        }
        if (HEADERS.contains(text)) {
            return new MessageField(Kind.HEADER, text);
        }
        if (text.startsWith("JMS") && !text.startsWith("JMSX")) {
            throw new IllegalArgumentException("unknown JMS header " + text + " (headers: " + HEADERS + ")");
        }
        if (!isJavaIdentifier(text)) {
            throw new IllegalArgumentException("not body, a JMS header or a property name: " + text);
        }
        return new MessageField(Kind.PROPERTY, text);
    }

    private static boolean isJavaIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    /** The field's value in {@code m}; null when absent. */
    Object read(Message m) throws JMSException, UnmappableMessageException {
        return switch (kind) {
            case BODY -> body(m);
            case PROPERTY -> m.getObjectProperty(name);
            case HEADER -> header(m);
        };
    }

    private static Object body(Message m) throws JMSException, UnmappableMessageException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            b.reset();
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            return body;
        }
        throw new UnmappableMessageException("its body is neither text nor bytes (it is not a TextMessage or a "
                + "BytesMessage)");
    }

    private Object header(Message m) throws JMSException {
        return switch (name) {
            case "JMSMessageID" -> m.getJMSMessageID();
            case "JMSCorrelationID" -> m.getJMSCorrelationID();
            case "JMSType" -> m.getJMSType();
            case "JMSTimestamp" -> instant(m.getJMSTimestamp());
            case "JMSExpiration" -> instant(m.getJMSExpiration());
            case "JMSDeliveryTime" -> instant(m.getJMSDeliveryTime());
            case "JMSPriority" -> m.getJMSPriority();
            case "JMSDeliveryMode" -> m.getJMSDeliveryMode();
            case "JMSRedelivered" -> m.getJMSRedelivered();
            case "JMSDestination" -> destination(m.getJMSDestination());
            case "JMSReplyTo" -> destination(m.getJMSReplyTo());
            default -> throw new IllegalStateException(name);
        };
    }

    /** JMS writes "not set" as 0 for its times (no expiration, timestamps disabled). */
    private static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }

    private static String destination(Destination d) throws JMSException {
        if (d instanceof Queue q) {
            return "queue://" + q.getQueueName();
        }
        if (d instanceof Topic t) {
            return "topic://" + t.getTopicName();
        }
        return d == null ? null : d.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
