package io.heraldmq.frameworks.boot;

import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.support.JmsHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's {@code @JmsListener} methods; each counts what it got, by the message's property {@code n}. */
public class Listeners {
    static final String PRICES_LISTENER = "prices";
    static final String PRICES_SUBSCRIPTION = "prices-audit";

    final Map<Integer, AtomicInteger> orders = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> prices = new ConcurrentHashMap<>();
    final Map<String, String> orderMessageIds = new ConcurrentHashMap<>();

    /** A queue, through Boot's default container factory, with two consumers. */
    @JmsListener(destination = OrderService.ORDERS, concurrency = "2")
    public void onOrder(String body, @Header("n") int n, @Header(JmsHeaders.MESSAGE_ID) String messageId) {
        orders.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        orderMessageIds.put(body, messageId);
    }

    /** A topic, through a durable subscription of the application's client id. */
    @JmsListener(id = PRICES_LISTENER, destination = OrderService.PRICES, containerFactory = "durableTopicFactory",
            subscription = PRICES_SUBSCRIPTION)
    public void onPrice(String body, @Header("n") int n) {
        prices.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Request in, reply out through the listener's own session. */
    @JmsListener(destination = OrderService.QUOTES)
    @SendTo(OrderService.QUOTE_REPLIES)
    public String quote(String item) {
        return "quote for " + item;
    }
}
