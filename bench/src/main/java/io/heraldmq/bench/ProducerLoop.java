package io.heraldmq.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer on its own connection and thread, sending BytesMessages numbered 0, 1, 2, ... as fast as the
 * provider lets it until stopped. Synchronous sends (the JMS default {@code send}); in a transacted session it
 * commits every {@code commitEvery} sends and stops only after a commit, so {@link #sent()} counts exactly the
 * messages the provider has accepted (acknowledged or committed).
 */
public final class ProducerLoop implements Runnable {
    private final int id;
    private final int commitEvery;
    private final byte[] payload;
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Exception error;

    /**
     * Opens the connection and session now, so a provider that refuses a transacted session does so before any
     * load starts ({@link ScenarioUnsupportedException}).
     */
    public ProducerLoop(ConnectionFactory factory, Destination destination, int id, boolean persistent,
                        int commitEvery, byte[] payload) throws JMSException, ScenarioUnsupportedException {
        this.id = id;
        this.commitEvery = commitEvery;
        this.payload = payload;
        this.connection = factory.createConnection();
        try {
            this.session = commitEvery > 0 ? transactedSession(connection)
                    : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            this.producer = session.createProducer(destination);
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        } catch (JMSException | ScenarioUnsupportedException | RuntimeException e) {
            connection.close();
            throw e;
        }
        this.thread = new Thread(this, "bench-producer-" + id);
    }

    static Session transactedSession(Connection connection) throws ScenarioUnsupportedException {
        try {
            return connection.createSession(true, Session.SESSION_TRANSACTED);
        } catch (JMSException | RuntimeException e) {
            throw new ScenarioUnsupportedException("transacted session refused: " + e, e);
        }
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        long sequence = 0;
        try {
            while (!stop) {
                int batch = commitEvery > 0 ? commitEvery : 1;
                for (int i = 0; i < batch; i++) {
                    producer.send(message(sequence++));
                }
                if (commitEvery > 0) {
                    session.commit();
                }
                sent.set(sequence);
            }
        } catch (JMSException | RuntimeException e) {
            error = e;
        }
    }

    private BytesMessage message(long sequence) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(payload);
        message.setIntProperty(Verifier.PRODUCER, id);
        message.setLongProperty(Verifier.SEQUENCE, sequence);
        return message;
    }

    /** Messages accepted by the provider so far. */
    public long sent() {
        return sent.get();
    }

    /** Stops after the current send (or commit) and waits for the thread. */
    public void stop() throws InterruptedException {
        stop = true;
        thread.join(120_000);
        if (thread.isAlive()) {
            error = new IllegalStateException("producer " + id + " did not stop within 120 s (blocked send)");
        }
    }

    public Exception error() {
        return error;
    }

    public void close() {
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // closing after the measurement; a close failure changes no number
        }
    }
}
