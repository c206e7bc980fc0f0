package io.heraldmq.ra;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;

/** The JMSConsumer of an {@link RaJMSContext}: a MessageConsumer of its session handle. */
final class RaJMSConsumer implements JMSConsumer {
    private final MessageConsumer consumer;

    RaJMSConsumer(MessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        try {
            return consumer.getMessageSelector();
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    /** Not allowed in the application server (Jakarta Messaging 3.1, 12.2): the handle's session refuses. */
    @Override
    public MessageListener getMessageListener() {
        try {
            return consumer.getMessageListener();
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        throw new jakarta.jms.IllegalStateRuntimeException("message listeners are not allowed in the application"
                + " server (Jakarta Messaging 3.1, 12.2); use a message-driven bean");
    }

    @Override
    public Message receive() {
        try {
            return consumer.receive();
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    @Override
    public Message receive(long timeout) {
        try {
            return consumer.receive(timeout);
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    @Override
    public Message receiveNoWait() {
        try {
            return consumer.receiveNoWait();
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(receive(), c);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(receive(timeout), c);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(receiveNoWait(), c);
    }

    /**
     * The body as {@code c}. In the application server every session is transacted or acknowledges automatically,
     * so a message whose body does not fit is simply delivered again (Jakarta Messaging 3.1, 8.6).
     */
    private static <T> T body(Message m, Class<T> c) {
        if (m == null) {
            return null;
        }
        try {
            return m.getBody(c);
        } catch (MessageFormatException e) {
            MessageFormatRuntimeException r = new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
            throw r;
        } catch (JMSException e) {
            throw RaJMSContext.runtime(e);
        }
    }
}
