package io.heraldmq.ra;

import java.io.Serializable;
import java.util.Objects;

/**
 * A destination as the application server's administered object ({@code create-admin-object}, property
 * {@code name}): a JavaBean, as Jakarta Connectors requires, which the provider takes by its name. Equal to one of
 * the same kind and name.
 */
public abstract class HeraldAdminObject implements Serializable {
    private static final long serialVersionUID = 1L;

    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** "queue" or "topic", as the provider's destinations print themselves. */
    abstract String kind();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Objects.equals(((HeraldAdminObject) o).name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind(), name);
    }

    @Override
    public String toString() {
        return kind() + "://" + name;
    }
}
