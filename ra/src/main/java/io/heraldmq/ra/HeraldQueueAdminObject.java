package io.heraldmq.ra;

import jakarta.jms.Queue;

import java.io.Serializable;
import java.util.Objects;

/**
 * A queue as the application server's administered object ({@code create-admin-object}, property {@code name}): a
 * JavaBean, as Jakarta Connectors requires, which the provider takes by its name.
 */
public final class HeraldQueueAdminObject implements Queue, Serializable {
    private static final long serialVersionUID = 1L;

    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getQueueName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeraldQueueAdminObject q && Objects.equals(q.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return "queue://" + name;
    }
}
