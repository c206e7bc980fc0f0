package io.heraldmq.spring.boot.app;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's listeners. Boot's default container factory runs each in a transacted session: a listener
 * that throws rolls its session back, and the broker delivers the message again (up to its
 * {@code max.delivery.attempts}, then to the dead-letter queue {@code DLQ.<queue>}).
 */
@Component
public class Listeners {
    public static final String ORDERS = "starter.orders";
    public static final String PRICES = "starter.prices";
    public static final String PRICES_LISTENER = "prices";
    public static final String PRICES_SUBSCRIPTION = "prices-audit";
    public static final String PAYMENTS = "starter.payments";
    public static final String POISON = "starter.poison";

    /** Deliveries per message, by the message's int property {@code n}. */
    public final Map<Integer, AtomicInteger> orders = new ConcurrentHashMap<>();
    public final Map<Integer, AtomicInteger> prices = new ConcurrentHashMap<>();
    /** Payments processed (after the first attempt of each failed), and every attempt's JMSXDeliveryCount. */
    public final Map<Integer, AtomicInteger> payments = new ConcurrentHashMap<>();
    public final Map<Integer, List<Integer>> paymentAttempts = new ConcurrentHashMap<>();
    /** Each delivery of a poison message, as its JMSXDeliveryCount. */
    public final List<Integer> poisonAttempts = new CopyOnWriteArrayList<>();

    /** A queue with two competing consumers. */
    @JmsListener(destination = ORDERS, concurrency = "2")
    public void onOrder(String body, @Header("n") int n) {
        orders.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A topic, through a durable subscription of the connection's client id ({@code spring.heraldmq.client-id}). */
    @JmsListener(id = PRICES_LISTENER, destination = PRICES, containerFactory = StarterApplication.TOPIC_FACTORY,
            subscription = PRICES_SUBSCRIPTION)
    public void onPrice(String body, @Header("n") int n) {
        prices.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Fails every first delivery: what it did is rolled back, and the message comes again, marked redelivered. */
    @JmsListener(destination = PAYMENTS)
    public void onPayment(Message message) throws JMSException {
        int n = message.getIntProperty("n");
        paymentAttempts.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>())
                .add(message.getIntProperty("JMSXDeliveryCount"));
        if (!message.getJMSRedelivered()) {
            throw new IllegalStateException("payment " + n + " failed on its first delivery");
        }
        payments.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Always fails. */
    @JmsListener(destination = POISON)
    public void onPoison(Message message) throws JMSException {
        poisonAttempts.add(message.getIntProperty("JMSXDeliveryCount"));
        throw new IllegalStateException("poison");
    }
}
