package io.heraldmq.ra;

import io.heraldmq.jms.HeraldJMSConsumer;
import io.heraldmq.jms.HeraldJMSContext;
import io.heraldmq.jms.HeraldJMSProducer;
import io.heraldmq.jms.HeraldMessageConsumer;
import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

/**
 * The JMSContext an application gets from the resource adapter's connection factory (also what Jakarta EE's
 * {@code @Inject JMSContext} makes): the provider's context over one pooled connection handle, whose session
 * handle it makes at first use and whose close gives the managed connection back to the pool.
 * <p>
 * Jakarta Messaging 3.1 section 12.2 in the web and EJB containers: the handles refuse {@code setClientID},
 * {@code setExceptionListener}, {@code stop}, and the session's {@code commit}/{@code rollback} (the container's
 * transaction decides; in a JTA transaction the work is the XA branch's); this context also refuses
 * {@code createContext}, asynchronous sends and message listeners. The session mode is the container's (12.3):
 * transacted.
 */
final class RaJMSContext extends HeraldJMSContext {
    RaJMSContext(HeraldConnectionHandle connection) {
        super(connection, Session.SESSION_TRANSACTED);
    }

    private static IllegalStateRuntimeException notInContainer(String what) {
        return new IllegalStateRuntimeException(what + " not allowed in the application server (Jakarta Messaging"
                + " 3.1, 12.2)");
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        throw notInContainer("createContext on a JMSContext is");
    }

    @Override
    public JMSProducer createProducer() {
        return new HeraldJMSProducer(this) {
            @Override
            public JMSProducer setAsync(CompletionListener completionListener) {
                if (completionListener != null) {
                    throw notInContainer("asynchronous sends are");
                }
                return super.setAsync(null);
            }
        };
    }

    @Override
    protected JMSConsumer newConsumer(HeraldMessageConsumer consumer) {
        return new HeraldJMSConsumer(consumer) {
            @Override
            public void setMessageListener(MessageListener listener) {
                throw notInContainer("message listeners (use a message-driven bean) are");
            }
        };
    }
}
