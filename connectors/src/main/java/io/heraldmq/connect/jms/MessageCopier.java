package io.heraldmq.connect.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes, in the target's session, the copy of a message consumed from the source broker (one provider's message
 * object cannot be sent by another provider as it is):
 * <ul>
 * <li>body: a TextMessage's text, a BytesMessage's bytes, a MapMessage's entries and a StreamMessage's items, each
 * with its type; a plain Message has none. An ObjectMessage is not copied ({@link #copy} returns null): its object
 * would have to be deserialized in the bridge, with the sender's classes, and that is a door for gadget chains;</li>
 * <li>headers: {@code JMSCorrelationID}, {@code JMSType} (priority and the remaining time to live go with the send);
 * {@code JMSReplyTo} names a destination of the other broker and is not copied;</li>
 * <li>properties: every application property with its type, then {@code JMSXGroupID} and {@code JMSXGroupSeq};
 * other {@code JMSX*} (delivery count, user id: the target sets its own) and provider-specific {@code JMS_*} ones are
 * not. A property the target refuses (another protocol may have set a name that is no Java identifier) is left
 * out with one log line per name;</li>
 * <li>{@value #SOURCE_MESSAGE_ID} = the source's {@code JMSMessageID} and {@value #SOURCE_TIMESTAMP} = its
 * {@code JMSTimestamp}, when set: the key for dropping the duplicates a crash between the two commits sends.</li>
 * </ul>
 * Used by the worker thread only.
 */
final class MessageCopier {
    private static final System.Logger LOG = System.getLogger(MessageCopier.class.getName());
    static final String SOURCE_MESSAGE_ID = "heraldmq_source_message_id";
    static final String SOURCE_TIMESTAMP = "heraldmq_source_timestamp";
    static final String GROUP_ID = "JMSXGroupID";
    static final String GROUP_SEQ = "JMSXGroupSeq";
    /** Refused property names already logged; bounded, so a stream of made-up names costs no memory. */
    private static final int MAX_WARNED = 1000;

    private final String name;
    private final Set<String> warned = new HashSet<>();

    MessageCopier(String name) {
        this.name = name;
    }

    /** The copy, or null when {@code m} is an ObjectMessage. */
    Message copy(Message m, Session target) throws JMSException {
        Message out = body(m, target);
        if (out == null) {
            return null;
        }
        String correlationId = m.getJMSCorrelationID();
        if (correlationId != null) {
            out.setJMSCorrelationID(correlationId);
        }
        String type = m.getJMSType();
        if (type != null) {
            out.setJMSType(type);
        }
        for (Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements(); ) {
            String p = (String) e.nextElement();
            if (p.startsWith("JMSX") || p.startsWith("JMS_")) {
                continue;
            }
            try {
                out.setObjectProperty(p, m.getObjectProperty(p));
            } catch (IllegalArgumentException | MessageFormatException ex) {
                if (warned.size() < MAX_WARNED && warned.add(p)) {
                    LOG.log(System.Logger.Level.WARNING, name + ": property '" + p + "' of message "
                            + m.getJMSMessageID() + " is refused by the target and left out (logged once): " + ex);
                }
            }
        }
        if (m.getObjectProperty(GROUP_ID) instanceof String group) {
            out.setStringProperty(GROUP_ID, group);
        }
        if (m.getObjectProperty(GROUP_SEQ) instanceof Integer seq) {
            out.setIntProperty(GROUP_SEQ, seq);
        }
        String id = m.getJMSMessageID();
        if (id != null) {
            out.setStringProperty(SOURCE_MESSAGE_ID, id);
        }
        if (m.getJMSTimestamp() != 0) {
            out.setLongProperty(SOURCE_TIMESTAMP, m.getJMSTimestamp());
        }
        return out;
    }

    private static Message body(Message m, Session target) throws JMSException {
        if (m instanceof TextMessage t) {
            return target.createTextMessage(t.getText());
        }
        if (m instanceof BytesMessage b) {
            long length = b.getBodyLength();
            if (length > Integer.MAX_VALUE - 8) {
                throw new MessageFormatException("a BytesMessage of " + length + " bytes is too large to copy");
            }
            byte[] body = new byte[(int) length];
            b.readBytes(body);
            BytesMessage out = target.createBytesMessage();
            out.writeBytes(body);
            return out;
        }
        if (m instanceof MapMessage map) {
            MapMessage out = target.createMapMessage();
            for (Enumeration<?> e = map.getMapNames(); e.hasMoreElements(); ) {
                String k = (String) e.nextElement();
                out.setObject(k, map.getObject(k));
            }
            return out;
        }
        if (m instanceof StreamMessage s) {
            StreamMessage out = target.createStreamMessage();
            while (true) {
                Object item;
                try {
                    item = s.readObject();
                } catch (MessageEOFException end) {
                    return out;
                }
                out.writeObject(item);
            }
        }
        if (m instanceof ObjectMessage) {
            return null;
        }
        return target.createMessage();
    }
}
