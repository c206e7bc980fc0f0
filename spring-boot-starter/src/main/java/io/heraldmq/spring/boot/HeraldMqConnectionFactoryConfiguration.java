package io.heraldmq.spring.boot;

import jakarta.jms.ConnectionFactory;
import org.apache.commons.pool2.PooledObject;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.JmsPoolConnectionFactoryFactory;
import org.springframework.boot.autoconfigure.jms.JmsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * The bean {@code jmsConnectionFactory}, one of (as for Boot's Artemis support):
 * <ul>
 *   <li>by default, a {@link CachingConnectionFactory} around HeraldMQ's factory: one shared connection, which holds
 *       {@code spring.heraldmq.client-id}, sessions (and producers) cached per {@code spring.jms.cache.*}. Boot's
 *       default {@code @JmsListener} container factory takes the factory inside it instead (Boot 3.4 and later:
 *       a listener container caches for itself), so those containers have connections of their own, without the
 *       client id;</li>
 *   <li>{@code spring.jms.cache.enabled=false}: HeraldMQ's factory itself, a new connection per use (a client id
 *       is refused: every connection would claim it);</li>
 *   <li>{@code spring.heraldmq.pool.enabled=true}: a pooled-jms {@link JmsPoolConnectionFactory} per
 *       {@code spring.heraldmq.pool.*}, if the application has pooled-jms on its class path (else the start
 *       fails saying so, where Boot's Artemis support would silently make no factory).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ConnectionFactory.class)
class HeraldMqConnectionFactoryConfiguration {
    private static final String POOL_PREFIX = HeraldMqProperties.PREFIX + ".pool";
    private static final String POOL_CLASS = "org.messaginghub.pooled.jms.JmsPoolConnectionFactory";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = POOL_PREFIX, name = "enabled", havingValue = "false", matchIfMissing = true)
    static class SimpleConnectionFactoryConfiguration {

        @Bean(name = "jmsConnectionFactory")
        @ConditionalOnProperty(prefix = "spring.jms.cache", name = "enabled", havingValue = "false")
        ConnectionFactory jmsConnectionFactory(HeraldMqProperties properties) {
            // Every connection would carry it: the JmsTemplate's connection per send next to a listener's is refused.
            if (StringUtils.hasText(properties.getClientId())) {
                throw new IllegalStateException(HeraldMqProperties.PREFIX + ".client-id needs one shared connection "
                        + "(spring.jms.cache.enabled=true, the default, or " + POOL_PREFIX + ".enabled=true with "
                        + POOL_PREFIX + ".max-connections=1): the broker lets one connection at a time hold a client "
                        + "id. For listener containers alone use spring.jms.client-id");
            }
            return HeraldMqConnectionFactories.create(properties, null);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnProperty(prefix = "spring.jms.cache", name = "enabled", havingValue = "true",
                matchIfMissing = true)
        static class CachingConnectionFactoryConfiguration {

            @Bean(name = {"jmsConnectionFactory", "cachingJmsConnectionFactory"})
            CachingConnectionFactory cachingJmsConnectionFactory(HeraldMqProperties properties,
                                                                 JmsProperties jmsProperties) {
                JmsProperties.Cache cache = jmsProperties.getCache();
                CachingConnectionFactory caching =
                        new CachingConnectionFactory(HeraldMqConnectionFactories.create(properties, null));
                // The shared connection's, not the target's: Boot (3.4 and later) gives its default listener
                // containers the target, each container a connection of its own, and they must not all claim it.
                if (StringUtils.hasText(properties.getClientId())) {
                    caching.setClientId(properties.getClientId());
                }
                caching.setCacheConsumers(cache.isConsumers());
                caching.setCacheProducers(cache.isProducers());
                caching.setSessionCacheSize(cache.getSessionCacheSize());
                return caching;
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JmsPoolConnectionFactory.class, PooledObject.class})
    @ConditionalOnProperty(prefix = POOL_PREFIX, name = "enabled", havingValue = "true")
    static class PooledConnectionFactoryConfiguration {

        @Bean(name = "jmsConnectionFactory", destroyMethod = "stop")
        JmsPoolConnectionFactory jmsConnectionFactory(HeraldMqProperties properties) {
            // Every pooled connection would carry the client id, and the broker refuses a second holder.
            if (StringUtils.hasText(properties.getClientId()) && properties.getPool().getMaxConnections() > 1) {
                throw new IllegalStateException(HeraldMqProperties.PREFIX + ".client-id needs " + POOL_PREFIX
                        + ".max-connections=1 (was " + properties.getPool().getMaxConnections()
                        + "): the broker lets one connection at a time hold a client id");
            }
            return new JmsPoolConnectionFactoryFactory(properties.getPool()).createPooledConnectionFactory(
                    HeraldMqConnectionFactories.create(properties, properties.getClientId()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(POOL_CLASS)
    @ConditionalOnProperty(prefix = POOL_PREFIX, name = "enabled", havingValue = "true")
    static class MissingPoolConfiguration {

        @Bean(name = "jmsConnectionFactory")
        ConnectionFactory jmsConnectionFactory() {
            throw new IllegalStateException(POOL_PREFIX + ".enabled=true needs org.messaginghub:pooled-jms on the "
                    + "class path (or leave the pool off: Spring's CachingConnectionFactory is the default)");
        }
    }
}
