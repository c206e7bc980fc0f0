package io.heraldmq.jms;

import io.heraldmq.client.BrokerUri;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import java.io.Serializable;
import java.util.Map;

/**
 * The entry point: {@code new HeraldConnectionFactory("tcp://127.0.0.1:7440")}, or bound in JNDI. URL options:
 * <ul>
 *   <li>{@code clientID} — client id of every connection it creates;</li>
 *   <li>{@code prefetch} — messages a consumer may have buffered ahead of the application (default 1000);</li>
 *   <li>{@code requestTimeout} — ms a synchronous call waits for the broker (default 30000);</li>
 *   <li>{@code connectTimeout} — ms to wait for a TCP connection and the broker's handshake (default 10000);</li>
 *   <li>{@code reconnectTimeoutMs} — failover: how long a connection that lost its broker tries to reconnect (to
 *       the URL's addresses in turn, starting with the one after the lost broker; a single address is retried)
 *       before it fails and calls the ExceptionListener; meanwhile the application only sees its calls take longer.
 *       Default 30000; 0 turns failover off (a lost broker fails the connection at once).</li>
 *   <li>{@code heartbeatMs} — the client sends a PING after writing nothing for this long, and takes a broker it
 *       heard nothing from for three intervals as lost (failover, as above); the broker closes a client silent for
 *       its {@code heartbeat.missed.max} intervals. Default 10000; 0 = no heartbeats (needed only for brokers of
 *       before heartbeats).</li>
 *   <li>TLS: {@code ssl://host:port} or {@code ?ssl=true}, with {@code trustStorePath}, {@code trustStorePassword},
 *       {@code keyStorePath}, {@code keyStorePassword}, {@code verifyHost}, {@code trustAll} (Artemis's names; see
 *       {@code io.heraldmq.client.ClientTls}).</li>
 * </ul>
 */
public class HeraldConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable {
    private static final long serialVersionUID = 1L;

    private final String brokerUrl;
    private final BrokerUri uri;
    private String clientID;
    private int prefetch;
    private long requestTimeoutMs;
    private int connectTimeoutMs;
    private long reconnectTimeoutMs;

    /** @param brokerUrl {@code tcp://host:port[,host:port][?clientID=...]} */
    public HeraldConnectionFactory(String brokerUrl) {
        this.uri = BrokerUri.parse(brokerUrl);
        this.brokerUrl = brokerUrl;
        Map<String, String> o = uri.options();
        this.clientID = o.get("clientID");
        this.prefetch = intOption(o, "prefetch", 1000, 1);
        this.requestTimeoutMs = intOption(o, "requestTimeout", 30_000, 1);
        this.connectTimeoutMs = intOption(o, "connectTimeout", 10_000, 1);
        this.reconnectTimeoutMs = intOption(o, "reconnectTimeoutMs", 30_000, 0);
        intOption(o, "heartbeatMs", 10_000, 0); // checked here, so that a bad URL fails at once; used by the link
    }

    private static int intOption(Map<String, String> o, String key, int dflt, int min) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new IllegalArgumentException(key + " must be at least " + min + ", was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public String getClientID() {
        return clientID;
    }

    public void setClientID(String clientID) {
        this.clientID = clientID;
    }

    public int getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    public long getRequestTimeout() {
        return requestTimeoutMs;
    }

    public void setRequestTimeout(long ms) {
        this.requestTimeoutMs = ms;
    }

    /** Failover: how long a lost connection tries to reconnect; 0 = not at all. */
    public long getReconnectTimeoutMs() {
        return reconnectTimeoutMs;
    }

    public void setReconnectTimeoutMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("reconnectTimeoutMs must be at least 0, was " + ms);
        }
        this.reconnectTimeoutMs = ms;
    }

    BrokerUri uri() {
        return uri;
    }

    int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return createConnection(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return HeraldConnection.open(this, userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return createQueueConnection(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return HeraldConnection.open(this, userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return createTopicConnection(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return HeraldConnection.open(this, userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    /** A context on a new connection; the connection closes when this context and those made from it close. */
    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return HeraldJMSContext.open(this, userName, password, sessionMode, false);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    @Override
    public String toString() {
        return "HeraldConnectionFactory[" + brokerUrl + "]";
    }
}
