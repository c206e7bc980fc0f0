package io.heraldmq.spring.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.springframework.jms.connection.UserCredentialsConnectionFactoryAdapter;
import org.springframework.util.StringUtils;

/**
 * Makes the connection factory that talks to the broker, before any caching or pooling: a
 * {@link HeraldConnectionFactory} for {@code spring.heraldmq.url}, in a
 * {@link UserCredentialsConnectionFactoryAdapter} when a user is set (HeraldMQ's factory takes credentials only per
 * {@code createConnection(user, password)} call, so the adapter supplies them to every plain
 * {@code createConnection()} that Spring's caching factory, the pool and the listener containers make).
 */
final class HeraldMqConnectionFactories {
    private HeraldMqConnectionFactories() {
    }

    /**
     * @param clientId the client id of every connection it makes, or null
     * @throws IllegalArgumentException naming {@code spring.heraldmq.url} when the URL cannot be parsed
     */
    static ConnectionFactory create(HeraldMqProperties properties, String clientId) {
        HeraldConnectionFactory herald;
        try {
            herald = new HeraldConnectionFactory(properties.getUrl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    HeraldMqProperties.PREFIX + ".url is not a HeraldMQ broker URL: " + e.getMessage(), e);
        }
        if (StringUtils.hasText(clientId)) {
            herald.setClientID(clientId);
        }
        if (!StringUtils.hasText(properties.getUser())) {
            return herald;
        }
        UserCredentialsConnectionFactoryAdapter withCredentials = new UserCredentialsConnectionFactoryAdapter();
        withCredentials.setTargetConnectionFactory(herald);
        withCredentials.setUsername(properties.getUser());
        withCredentials.setPassword(properties.getPassword());
        return withCredentials;
    }
}
