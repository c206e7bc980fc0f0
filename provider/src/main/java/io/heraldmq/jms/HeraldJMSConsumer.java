package io.heraldmq.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import static io.heraldmq.jms.JmsRuntimeExceptions.call;
import static io.heraldmq.jms.JmsRuntimeExceptions.run;

/** The simplified API's consumer: a {@link HeraldMessageConsumer} with unchecked exceptions and receiveBody. */
public class HeraldJMSConsumer implements JMSConsumer {
    private final HeraldMessageConsumer consumer;

    protected HeraldJMSConsumer(HeraldMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return call(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return call(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        run(() -> consumer.setMessageListener(listener));
    }

    @Override
    public Message receive() {
        return call(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return call(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return call(consumer::receiveNoWait);
    }

    /** May be called from this consumer's own message listener; it returns and the listener completes. */
    @Override
    public void close() {
        run(consumer::close);
    }

    /**
     * The body of the next message. A message of another type is a
     * {@link jakarta.jms.MessageFormatRuntimeException}; with AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE that message
     * is delivered again, first and not counted as redelivered.
     */
    @Override
    public <T> T receiveBody(Class<T> c) {
        return call(() -> consumer.receiveBody(c, -1));
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return call(() -> consumer.receiveBody(c, timeout <= 0 ? -1 : timeout));
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return call(() -> consumer.receiveBody(c, 0));
    }
}
