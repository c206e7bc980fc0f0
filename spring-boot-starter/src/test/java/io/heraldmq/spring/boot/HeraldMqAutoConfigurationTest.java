package io.heraldmq.spring.boot;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.UserCredentialsConnectionFactoryAdapter;
import org.springframework.jms.core.JmsTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration's choices, in application contexts without a broker (nothing here connects). */
class HeraldMqAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HeraldMqAutoConfiguration.class, JmsAutoConfiguration.class));

    @Test
    void byDefaultACachingFactoryForTheLocalBrokerBacksBootsJmsTemplateAndListenerContainers() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class);
            CachingConnectionFactory caching = context.getBean(CachingConnectionFactory.class);
            assertThat(context.getBean("jmsConnectionFactory")).isSameAs(caching);
            assertThat(context.getBean("cachingJmsConnectionFactory")).isSameAs(caching);
            assertThat(caching.getSessionCacheSize()).isEqualTo(1);
            assertThat(caching.isCacheProducers()).isTrue();
            assertThat(caching.isCacheConsumers()).isFalse();
            HeraldConnectionFactory herald = (HeraldConnectionFactory) caching.getTargetConnectionFactory();
            assertThat(herald.getBrokerUrl()).isEqualTo("tcp://127.0.0.1:7440");
            assertThat(herald.getClientID()).isNull();

            // Ordered before Boot's JMS auto-configuration, which backs off without a ConnectionFactory bean. Its
            // listener containers get the factory inside the caching one (Boot 3.4 and later).
            assertThat(context.getBean(JmsTemplate.class).getConnectionFactory()).isSameAs(caching);
            assertThat(context.getBean(DefaultJmsListenerContainerFactory.class))
                    .extracting("connectionFactory").isSameAs(herald);
        });
    }

    @Test
    void bindsSeveralBrokersUrlOptionsAndTheClientIdOfTheSharedConnection() {
        runner.withPropertyValues("spring.heraldmq.url=tcp://h1:7440,h2:7441?prefetch=10",
                "spring.heraldmq.client-id=orders-app").run(context -> {
            CachingConnectionFactory caching = context.getBean(CachingConnectionFactory.class);
            assertThat(caching).extracting("clientId").isEqualTo("orders-app");
            HeraldConnectionFactory herald = (HeraldConnectionFactory) caching.getTargetConnectionFactory();
            assertThat(herald.getBrokerUrl()).isEqualTo("tcp://h1:7440,h2:7441?prefetch=10");
            assertThat(herald.getPrefetch()).isEqualTo(10);
            // Not on the target, which Boot's listener containers use, each with a connection of its own.
            assertThat(herald.getClientID()).isNull();
        });
    }

    @Test
    void aUserAndPasswordGoToEveryConnectionThroughACredentialsAdapter() {
        runner.withPropertyValues("spring.heraldmq.user=app", "spring.heraldmq.password=s3cret").run(context -> {
            ConnectionFactory target = context.getBean(CachingConnectionFactory.class).getTargetConnectionFactory();
            assertThat(target).isInstanceOf(UserCredentialsConnectionFactoryAdapter.class)
                    .extracting("targetConnectionFactory").isInstanceOf(HeraldConnectionFactory.class);
            assertThat(target).extracting("username", "password").containsExactly("app", "s3cret");
        });
    }

    @Test
    void springJmsCacheSettingsApply() {
        runner.withPropertyValues("spring.jms.cache.session-cache-size=10", "spring.jms.cache.consumers=true",
                "spring.jms.cache.producers=false").run(context -> {
            CachingConnectionFactory caching = context.getBean(CachingConnectionFactory.class);
            assertThat(caching.getSessionCacheSize()).isEqualTo(10);
            assertThat(caching.isCacheConsumers()).isTrue();
            assertThat(caching.isCacheProducers()).isFalse();
        });
    }

    @Test
    void withCachingOffTheBeanIsHeraldsOwnFactory() {
        runner.withPropertyValues("spring.jms.cache.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class)
                    .doesNotHaveBean(CachingConnectionFactory.class);
            assertThat(context.getBean("jmsConnectionFactory")).isInstanceOf(HeraldConnectionFactory.class);
            assertThat(context.getBean(JmsTemplate.class).getConnectionFactory())
                    .isSameAs(context.getBean(ConnectionFactory.class));
        });
    }

    @Test
    void aClientIdWithCachingOffIsRefused() {
        runner.withPropertyValues("spring.jms.cache.enabled=false", "spring.heraldmq.client-id=app").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring.heraldmq.client-id needs one shared connection"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesAConnectionFactory() {
        runner.withUserConfiguration(OwnConnectionFactory.class).run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class)
                    .doesNotHaveBean(HeraldMqProperties.class);
            assertThat(context.getBean(ConnectionFactory.class)).isSameAs(OwnConnectionFactory.FACTORY);
            assertThat(context.getBean(JmsTemplate.class).getConnectionFactory()).isSameAs(OwnConnectionFactory.FACTORY);
        });
    }

    @Test
    void withThePoolOnAPooledJmsFactoryWrapsHeraldsFactory() {
        runner.withPropertyValues("spring.heraldmq.pool.enabled=true", "spring.heraldmq.pool.max-connections=3",
                "spring.heraldmq.pool.max-sessions-per-connection=7").run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class)
                    .doesNotHaveBean(CachingConnectionFactory.class);
            JmsPoolConnectionFactory pool = context.getBean(JmsPoolConnectionFactory.class);
            assertThat(pool.getMaxConnections()).isEqualTo(3);
            assertThat(pool.getMaxSessionsPerConnection()).isEqualTo(7);
            assertThat(pool.getConnectionFactory()).isInstanceOf(HeraldConnectionFactory.class);
        });
    }

    @Test
    void aPoolOfOneConnectionCarriesTheClientId() {
        runner.withPropertyValues("spring.heraldmq.pool.enabled=true", "spring.heraldmq.client-id=app").run(context ->
                assertThat(((HeraldConnectionFactory) context.getBean(JmsPoolConnectionFactory.class)
                        .getConnectionFactory()).getClientID()).isEqualTo("app"));
    }

    @Test
    void thePoolOnWithoutPooledJmsFailsTheStartSayingSo() {
        runner.withClassLoader(new FilteredClassLoader(JmsPoolConnectionFactory.class))
                .withPropertyValues("spring.heraldmq.pool.enabled=true").run(context ->
                        assertThat(context).getFailure().rootCause()
                                .hasMessageContaining("spring.heraldmq.pool.enabled=true needs "
                                        + "org.messaginghub:pooled-jms"));
    }

    @Test
    void aClientIdWithAPoolOfSeveralConnectionsIsRefused() {
        runner.withPropertyValues("spring.heraldmq.pool.enabled=true", "spring.heraldmq.pool.max-connections=2",
                "spring.heraldmq.client-id=app").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring.heraldmq.client-id needs spring.heraldmq.pool.max-connections=1"));
    }

    @Test
    void aBadUrlFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("spring.heraldmq.url=http://broker:7440").run(context ->
                assertThat(context).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("broker URL must start with tcp://"));
        runner.withPropertyValues("spring.heraldmq.url=tcp://broker:port").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "spring.heraldmq.url is not a HeraldMQ broker URL: bad port"));
    }

    @Test
    void isListedForSpringBootAndDescribesItsProperties() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ImportCandidates.load(AutoConfiguration.class, loader))
                .contains(HeraldMqAutoConfiguration.class.getName());
        try (InputStream in = loader.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("\"spring.heraldmq.url\"", "\"spring.heraldmq.client-id\"",
                            "\"spring.heraldmq.pool.max-connections\"", "Connections the pool holds at most");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConnectionFactory {
        static final ConnectionFactory FACTORY = new HeraldConnectionFactory("tcp://elsewhere:7440");

        @Bean
        ConnectionFactory myConnectionFactory() {
            return FACTORY;
        }
    }
}
