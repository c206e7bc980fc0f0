package io.heraldmq.spring.boot.app;

import jakarta.jms.ConnectionFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jms.DefaultJmsListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;

/**
 * A Spring Boot application with the starter on its class path and nothing HeraldMQ-specific in its code: the
 * connection factory comes from {@code spring.heraldmq.*}, the {@code JmsTemplate}, {@code @EnableJms} and the
 * default listener container factory from Boot. It only adds a container factory for durable topic subscriptions,
 * on the {@code ConnectionFactory} bean: the shared connection, which holds {@code spring.heraldmq.client-id}.
 */
@SpringBootApplication
public class StarterApplication {
    public static final String TOPIC_FACTORY = "topicListenerFactory";

    /** Boot's listener settings ({@code spring.jms.listener.*}: transacted sessions here), on a topic, durable. */
    @Bean(TOPIC_FACTORY)
    DefaultJmsListenerContainerFactory topicListenerFactory(DefaultJmsListenerContainerFactoryConfigurer configurer,
                                                            ConnectionFactory connectionFactory) {
        DefaultJmsListenerContainerFactory factory = new DefaultJmsListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setPubSubDomain(true);
        factory.setSubscriptionDurable(true);
        return factory;
    }
}
