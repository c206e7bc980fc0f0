package io.heraldmq.spring.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.JmsProperties;
import org.springframework.boot.autoconfigure.jms.JndiConnectionFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * A HeraldMQ {@link ConnectionFactory} for a Spring Boot application, in the way Boot's own Artemis support makes
 * one: unless the application defines a {@code ConnectionFactory} itself (or {@code spring.jms.jndi-name} finds
 * one), and before Boot's {@link JmsAutoConfiguration}, so that the {@code JmsTemplate} and the {@code @JmsListener}
 * containers Boot makes use it. Which factory is made: {@link HeraldMqConnectionFactoryConfiguration}.
 */
@AutoConfiguration(before = JmsAutoConfiguration.class, after = JndiConnectionFactoryAutoConfiguration.class)
@ConditionalOnClass({ConnectionFactory.class, HeraldConnectionFactory.class})
@ConditionalOnMissingBean(ConnectionFactory.class)
@EnableConfigurationProperties({HeraldMqProperties.class, JmsProperties.class})
@Import(HeraldMqConnectionFactoryConfiguration.class)
public class HeraldMqAutoConfiguration {
}
