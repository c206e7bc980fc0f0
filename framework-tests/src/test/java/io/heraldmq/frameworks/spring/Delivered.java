package io.heraldmq.frameworks.spring;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a listener was given: how often each message (its int property {@code n}) arrived, and on which thread. A
 * {@link MessageListener} itself.
 */
final class Delivered implements MessageListener {
    private final Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perThread = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    @Override
    public void onMessage(Message message) {
        try {
            counts.computeIfAbsent(message.getIntProperty("n"), k -> new AtomicInteger()).incrementAndGet();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        perThread.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
    }

    /** Deliveries so far, duplicates included. */
    int total() {
        return total.get();
    }

    /** Distinct messages so far. */
    int distinct() {
        return counts.size();
    }

    Map<String, AtomicInteger> perThread() {
        return perThread;
    }

    /** Every message {@code from <= n < to} arrived exactly once, and nothing else arrived. */
    void assertExactlyOnce(int from, int to) {
        Set<Integer> expected = new TreeSet<>();
        for (int n = from; n < to; n++) {
            expected.add(n);
            AtomicInteger c = counts.get(n);
            if (c == null) {
                fail("message " + n + " never arrived");
            }
            assertEquals(1, c.get(), "deliveries of message " + n);
        }
        assertEquals(expected, new TreeSet<>(counts.keySet()));
        assertEquals(to - from, total.get(), "deliveries in all");
    }
}
