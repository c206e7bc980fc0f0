package io.heraldmq.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a backlog of PERSISTENT messages (producer 0, sequence 0..n-1) with JMS 2.0 asynchronous sends: a
 * CompletionListener, at most {@value #IN_FLIGHT} unconfirmed, as an application loading a backlog would. A provider
 * that refuses them gets plain {@code send} calls (ActiveMQ Classic 6.1, whose JNDI factory for this makes them
 * asynchronous: see the runner's jndi.properties). Returns once every send is confirmed.
 */
final class AsyncPublisher {
    static final int IN_FLIGHT = 1000;

    private final BenchSettings settings;
    private final Jndi jndi;

    AsyncPublisher(BenchSettings settings, Jndi jndi) {
        this.settings = settings;
        this.jndi = jndi;
    }

    void publish(Topic topic, long total) throws Exception {
        Connection connection = jndi.factory(JndiNames.ASYNC_FACTORY).createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            byte[] payload = Payload.of(settings.messageBytes());
            Window window = new Window();
            boolean async = true;
            for (long seq = 0; seq < total; seq++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(payload);
                message.setIntProperty(Verifier.PRODUCER, 0);
                message.setLongProperty(Verifier.SEQUENCE, seq);
                if (async) {
                    window.acquire();
                    try {
                        producer.send(message, window);
                        continue;
                    } catch (UnsupportedOperationException | JMSException e) {
                        if (seq > 0) {
                            throw e;
                        }
                        window.permits.release();
                        async = false;
                        System.out.println("backlog: asynchronous send refused (" + e + "); sending synchronously");
                    }
                }
                producer.send(message);
            }
            window.awaitAll();
        } finally {
            connection.close();
        }
    }

    /** At most {@value #IN_FLIGHT} unconfirmed asynchronous sends; the first failure fails the scenario. */
    private final class Window implements CompletionListener {
        final Semaphore permits = new Semaphore(IN_FLIGHT);
        volatile Exception failure;

        void acquire() throws Exception {
            throwIfFailed();
            if (!permits.tryAcquire(settings.drainTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new ScenarioFailedException("no send confirmed for " + settings.drainTimeoutMs() / 1000
                        + " s");
            }
        }

        void awaitAll() throws Exception {
            if (!permits.tryAcquire(IN_FLIGHT, settings.drainTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new ScenarioFailedException("asynchronous sends not all confirmed");
            }
            throwIfFailed();
        }

        private void throwIfFailed() throws ScenarioFailedException {
            if (failure != null) {
                throw new ScenarioFailedException("asynchronous send failed: " + failure, failure);
            }
        }

        @Override
        public void onCompletion(Message message) {
            permits.release();
        }

        @Override
        public void onException(Message message, Exception exception) {
            failure = exception;
            permits.release();
        }
    }
}
