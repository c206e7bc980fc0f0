package io.heraldmq.connect;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;

/**
 * The one place that names a JMS provider: everything else in the connectors uses {@code jakarta.jms} only, so
 * another provider's factory can be passed to {@link ConnectorRuntime} instead.
 */
public final class ConnectionFactories {
    private ConnectionFactories() {
    }

    /** HeraldMQ's factory for {@code tcp://HOST:PORT[,HOST:PORT...][?options]}. */
    public static ConnectionFactory heraldMq(String url) {
        return new HeraldConnectionFactory(url);
    }
}
