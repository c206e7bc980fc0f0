package io.heraldmq.ra;

import jakarta.jms.Topic;

import java.io.Serializable;
import java.util.Objects;

/**
 * A topic as the application server's administered object ({@code create-admin-object}, property {@code name}): a
 * JavaBean, as Jakarta Connectors requires, which the provider takes by its name.
 */
public final class HeraldTopicAdminObject implements Topic, Serializable {
    private static final long serialVersionUID = 1L;

    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getTopicName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeraldTopicAdminObject t && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return "topic://" + name;
    }
}
