package io.heraldmq.spring.boot;

import org.springframework.boot.autoconfigure.jms.JmsPoolConnectionFactoryProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code spring.heraldmq.*}: where the broker is and who connects. How connections are cached is Spring Boot's
 * {@code spring.jms.cache.*}, or {@code spring.heraldmq.pool.*} with pooled-jms.
 */
@ConfigurationProperties(prefix = HeraldMqProperties.PREFIX)
public class HeraldMqProperties {
    static final String PREFIX = "spring.heraldmq";

    /**
     * Broker URL: tcp://host:port, several brokers comma-separated (tcp://h1:7440,h2:7440, tried in order), and the
     * provider's options after '?' (prefetch, requestTimeout, connectTimeout, reconnectTimeoutMs).
     */
    private String url = "tcp://127.0.0.1:7440";

    /** User name; none connects anonymously (accepted by a broker without users). */
    private String user;

    /** Password of the user. */
    private String password;

    /**
     * Client id of the shared connection (the cached one, or a pool's only connection), which names its durable
     * subscriptions. Boot's default listener containers have connections of their own: see spring.jms.client-id.
     */
    private String clientId;

    @NestedConfigurationProperty
    private final JmsPoolConnectionFactoryProperties pool = new JmsPoolConnectionFactoryProperties();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public JmsPoolConnectionFactoryProperties getPool() {
        return pool;
    }
}
