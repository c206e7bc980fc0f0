package io.heraldmq.connect;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Publishes {@link LogRecord}s to one destination through the plain {@code jakarta.jms} API, so a source works with
 * any provider's {@link ConnectionFactory}. It owns one Connection, one non-transacted Session and one
 * MessageProducer. Each record becomes a PERSISTENT {@link TextMessage} whose body is the line and whose properties
 * are:
 * <ul>
 * <li>{@code source} (String): the name given to the runner, e.g. {@code file-tail};</li>
 * <li>{@code file} (String): the followed path;</li>
 * <li>{@code line} (long): 1-based line number within the file's current incarnation;</li>
 * <li>{@code offset} (long): byte offset of the line in that incarnation (with {@code file}, a key for consumers
 * that want to drop the rare duplicate after a crash);</li>
 * <li>{@code JMSXGroupID} (String): the file path, so all lines of one file go to one partition and keep their
 * order.</li>
 * </ul>
 * {@link #publish} returns once the broker has acknowledged the message (a PERSISTENT send is synchronous in JMS).
 * After a failed send the connection is dropped and reopened on the next publish, so a broker restart costs the
 * caller a retry, not a restart. Like its Session, a runner must be used by one thread at a time; {@link #close()}
 * may be called from any thread.
 */
public final class SourceRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SourceRunner.class.getName());

    private final ConnectionFactory factory;
    private final String destinationName;
    private final boolean queue;
    private final String sourceName;
    private volatile Connection connection;
    private Session session;
    private MessageProducer producer;
    private volatile boolean closed;

    /**
     * @param destinationName the physical topic or queue name
     * @param queue           true to send to a queue, false to a topic
     * @param sourceName      the value of the {@code source} property
     */
    public SourceRunner(ConnectionFactory factory, String destinationName, boolean queue, String sourceName) {
        this.factory = factory;
        this.destinationName = destinationName;
        this.queue = queue;
        this.sourceName = sourceName;
    }

    /** Sends one record PERSISTENT and returns once the broker has acknowledged it. */
    public void publish(LogRecord record) throws JMSException {
        if (closed) {
            throw new IllegalStateException("runner closed");
        }
        try {
            ensureOpen();
            TextMessage m = session.createTextMessage(record.text());
            m.setStringProperty("source", sourceName);
            m.setStringProperty("file", record.file());
            m.setLongProperty("line", record.line());
            m.setLongProperty("offset", record.offset());
            m.setStringProperty("JMSXGroupID", record.file());
            producer.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        } catch (JMSException | RuntimeException e) {
            // The connection may be dead; start over with a fresh one on the next call.
            closeConnection();
            throw e;
        }
    }

    private void ensureOpen() throws JMSException {
        if (connection != null) {
            return;
        }
        Connection c = factory.createConnection();
        try {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination d = queue ? s.createQueue(destinationName) : s.createTopic(destinationName);
            MessageProducer p = s.createProducer(d);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            session = s;
            producer = p;
            connection = c;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        if (closed) {
            // close() ran while we were connecting; do not leak the new connection.
            closeConnection();
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        session = null;
        producer = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a failed connection", e);
        }
    }

    /** Closes the connection (and with it the session and producer). Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeConnection();
    }
}
