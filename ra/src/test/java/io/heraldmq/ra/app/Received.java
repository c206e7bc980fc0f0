package io.heraldmq.ra.app;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What the test application's message-driven beans got: per bean, how often each message body arrived. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Received {
    private final Map<String, Map<String, Integer>> byBean = new ConcurrentHashMap<>();

    public void record(String bean, String body) {
        byBean.computeIfAbsent(bean, b -> new ConcurrentHashMap<>()).merge(body, 1, Integer::sum);
    }

    /** "body count" lines, sorted by body. */
    public String report(String bean) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(byBean.getOrDefault(bean, Map.of())).forEach((body, n) -> out.append(body).append(' ')
                .append(n).append('\n'));
        return out.toString();
    }
}
