package io.heraldmq.frameworks.camel;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Test set-up shared by the Camel tests: a plain {@link DefaultCamelContext} with camel-jms as {@code jms}. */
final class Camel {
    private Camel() {
    }

    static CamelContext start(ConnectionFactory connectionFactory, RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(connectionFactory));
        context.addRoutes(routes);
        context.start();
        return context;
    }

    /**
     * Waits until the route's JMS consumer has subscribed, for routes that consume a topic (a non-durable
     * subscription only sees what is published after it exists).
     */
    static void awaitSubscribed(CamelContext context, String routeId) {
        Route route = context.getRoute(routeId);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JmsConsumer consumer = (JmsConsumer) route.getConsumer();
            return ((DefaultMessageListenerContainer) consumer.getListenerContainer()).isRegisteredWithDestination();
        });
    }
}
