package io.heraldmq.frameworks.spring;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spring's {@link DefaultMessageListenerContainer} with nothing changed but a count of the consumers it has created,
 * so a test can wait until every concurrent consumer is subscribed before it publishes (the container creates them
 * lazily, on its own threads, and a non-durable subscription does not see what was published before it existed).
 */
final class ObservedListenerContainer extends DefaultMessageListenerContainer {
    private final AtomicInteger consumersCreated = new AtomicInteger();

    @Override
    protected MessageConsumer createConsumer(Session session, Destination destination) throws JMSException {
        MessageConsumer consumer = super.createConsumer(session, destination);
        consumersCreated.incrementAndGet();
        return consumer;
    }

    int consumersCreated() {
        return consumersCreated.get();
    }
}
