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
 * A durable subscription is created and its consumer closed; then {@code bench.backlog.mib} of PERSISTENT messages
 * are published with no consumer attached, and the subscriber comes back and drains them. Reported: {@code drain}
 * (messages per second from the subscriber's start to its last message; the number compared) and {@code publish}
 * (messages per second while building the backlog). The backlog is published with JMS 2.0 asynchronous sends
 * (a CompletionListener, at most {@value #IN_FLIGHT} unconfirmed), as an application loading a backlog would;
 * a provider that refuses them gets plain {@code send} calls (ActiveMQ Classic 6.1, whose JNDI factory for this
 * makes them asynchronous: see the runner's jndi.properties). Either way the drain then proves every message was
 * stored. There is no warm-up: the drain is one pass.
 */
public final class BacklogScenario {
    static final int IN_FLIGHT = 1000;
    private static final String SUBSCRIPTION = "backlog-0";

    private final BenchSettings settings;
    private final Jndi jndi;

    public BacklogScenario(BenchSettings settings, Jndi jndi) {
        this.settings = settings;
        this.jndi = jndi;
    }

    public void run() throws Exception {
        ScenarioKey key = ScenarioKey.BACKLOG;
        Topic topic = (Topic) jndi.destination(JndiNames.destination(key));
        long total = Math.max(1, settings.backlogBytes() / settings.messageBytes());

        Connection subscriberConnection = jndi.subscriberFactory(0).createConnection();
        try {
            Session session = subscriberConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, SUBSCRIPTION).close();
        } finally {
            subscriberConnection.close();
        }

        long publishStart = System.nanoTime();
        publish(topic, total);
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;

        Verifier verifier = Verifier.subscriber(SUBSCRIPTION, 1);
        subscriberConnection = jndi.subscriberFactory(0).createConnection();
        try {
            Session session = subscriberConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, SUBSCRIPTION).setMessageListener(verifier);
            long drainStart = System.nanoTime();
            subscriberConnection.start();
            long lastCount = -1;
            long lastProgress = System.nanoTime();
            while (verifier.received() < total) {
                if (verifier.failure() != null) {
                    throw new ScenarioFailedException(verifier.failure());
                }
                long count = verifier.received();
                if (count != lastCount) {
                    lastCount = count;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > settings.drainTimeoutMs() * 1_000_000L) {
                    throw new ScenarioFailedException("lost messages: drained " + count + " of " + total);
                }
                Thread.sleep(5);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            Thread.sleep(200);
            String problem = verifier.failure() != null ? verifier.failure() : verifier.missing(new long[]{total});
            if (problem == null && verifier.received() != total) {
                problem = "received " + verifier.received() + " messages, published " + total + " (duplicates)";
            }
            if (problem != null) {
                throw new ScenarioFailedException(problem);
            }
            ResultLine.number(key, "drain", total / drainSeconds);
            ResultLine.number(key, "publish", total / publishSeconds);
            ResultLine.number(key, "messages", total);
        } finally {
            ThroughputScenario.closeQuietly(subscriberConnection);
        }
    }

    private void publish(Topic topic, long total) throws Exception {
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
