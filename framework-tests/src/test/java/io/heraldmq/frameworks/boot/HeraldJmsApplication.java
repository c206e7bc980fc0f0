package io.heraldmq.frameworks.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.DefaultJmsListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jms.annotation.EnableJms;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * A Spring Boot application as one would write it for any JMS broker: the only HeraldMQ class is the connection
 * factory bean. Boot's JMS auto-configuration supplies the {@code JmsTemplate} and the default listener container
 * factory (with Boot's defaults: transacted sessions, 1 s receive timeout) around it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableJms
@Import({OrderService.class, Listeners.class})
public class HeraldJmsApplication {
    /** The client id of the application's connection, which names its durable subscriptions. */
    static final String CLIENT_ID = "boot-app";

    @Bean
    ConnectionFactory connectionFactory(@Value("${heraldmq.url}") String url) {
        CachingConnectionFactory caching = new CachingConnectionFactory(new HeraldConnectionFactory(url));
        // One shared connection for the template and every listener container: the client id goes on the factory.
        caching.setClientId(CLIENT_ID);
        caching.setSessionCacheSize(10);
        return caching;
    }

    /** Boot's configured defaults, plus a durable topic subscription. */
    @Bean
    DefaultJmsListenerContainerFactory durableTopicFactory(DefaultJmsListenerContainerFactoryConfigurer configurer,
                                                           ConnectionFactory connectionFactory) {
        DefaultJmsListenerContainerFactory factory = new DefaultJmsListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setPubSubDomain(true);
        factory.setSubscriptionDurable(true);
        return factory;
    }
}
