package io.heraldmq.frameworks.boot;

import jakarta.jms.Topic;
import org.springframework.jms.core.JmsTemplate;

/** Sends through the {@link JmsTemplate} Boot auto-configured, injected by constructor. */
public class OrderService {
    static final String ORDERS = "boot.orders";
    static final String PRICES = "boot.prices";
    static final String QUOTES = "boot.quotes";
    static final String QUOTE_REPLIES = "boot.quotes.replies";

    private final JmsTemplate jms;

    public OrderService(JmsTemplate jms) {
        this.jms = jms;
    }

    public JmsTemplate jms() {
        return jms;
    }

    public void placeOrder(int n) {
        jms.convertAndSend(ORDERS, "order " + n, m -> {
            m.setIntProperty("n", n);
            return m;
        });
    }

    public void publishPrice(int n) {
        Topic prices = jms.execute(session -> session.createTopic(PRICES));
        jms.convertAndSend(prices, "price " + n, m -> {
            m.setIntProperty("n", n);
            return m;
        });
    }

    public void askQuote(String item) {
        jms.convertAndSend(QUOTES, item);
    }
}
