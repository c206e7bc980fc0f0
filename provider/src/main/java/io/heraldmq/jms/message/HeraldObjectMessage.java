package io.heraldmq.jms.message;

import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * A message whose body is a serializable object, held as its Java serialization bytes: {@link #setObject} takes a
 * snapshot (later changes to the object do not show), {@link #getObject} deserializes a new copy on each call.
 * <p>
 * <b>Deserialization is filtered.</b> {@link #getObject()} (and {@code getBody}) only loads classes allowed by the
 * system properties {@code heraldmq.deserialization.allowList} and {@code heraldmq.deserialization.denyList}
 * (comma-separated package or class names, or prefixes ending in {@code *}, or {@code *} for all; see
 * {@link DeserializationFilter}). The deny list wins. <b>When no allow list is set, every class that is not denied is
 * allowed</b> (the same default as ActiveMQ Artemis), so applications receiving ObjectMessages from untrusted
 * senders should set an allow list. A refused class is a {@link MessageFormatException} naming the class. Classes are
 * loaded with the thread context class loader.
 */
public class HeraldObjectMessage extends HeraldMessage implements ObjectMessage {
    /** Java serialization of the object, or null for no object. */
    private byte[] serialized;

    public HeraldObjectMessage() {
    }

    public HeraldObjectMessage(Serializable object) throws JMSException {
        setObject(object);
    }

    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = object == null ? null : serialize(object);
    }

    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        DeserializationFilter filter = DeserializationFilter.fromSystemProperties();
        try (FilteringObjectInputStream in = new FilteringObjectInputStream(new ByteArrayInputStream(serialized), filter)) {
            return (Serializable) in.readObject();
        } catch (FilteringObjectInputStream.RefusedClassException e) {
            throw HeraldBytesMessage.withCause(new MessageFormatException("ObjectMessage body refused: class "
                    + e.classname + " is not allowed to be deserialized (see system properties "
                    + DeserializationFilter.ALLOW_LIST_PROPERTY + " and " + DeserializationFilter.DENY_LIST_PROPERTY
                    + ")"), e);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw HeraldBytesMessage.withCause(new MessageFormatException("cannot deserialize ObjectMessage body: "
                    + e), e);
        }
    }

    private static byte[] serialize(Serializable object) throws MessageFormatException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw HeraldBytesMessage.withCause(new MessageFormatException("cannot serialize "
                    + object.getClass().getName() + ": " + e), e);
        }
        return bos.toByteArray();
    }

    // ---- HeraldMessage hooks ----

    @Override
    byte wireBodyType() {
        return WireMessage.BODY_OBJECT;
    }

    @Override
    Buffer encodeBody() {
        return serialized == null ? null : Buffer.buffer(serialized.clone());
    }

    @Override
    void decodeBody(byte[] body) {
        serialized = body;
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        Serializable o = ((ObjectMessage) foreign).getObject();
        serialized = o == null ? null : serialize(o);
    }

    /** The deserialized object (a new copy), null when there is none; MessageFormatException when not assignable. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Serializable o = getObject();
        if (o == null) {
            return null;
        }
        if (!c.isInstance(o)) {
            throw new MessageFormatException("ObjectMessage body of class " + o.getClass().getName()
                    + " cannot be assigned to " + c.getName());
        }
        return c.cast(o);
    }

    /** True when there is no object, or the object deserializes and is an instance of {@code c}. */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        if (serialized == null) {
            return true;
        }
        try {
            return c.isInstance(getObject());
        } catch (JMSException e) {
            return false;
        }
    }
}
