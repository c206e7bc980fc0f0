package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import jakarta.jms.Destination;

import java.io.Serializable;
import java.util.Objects;

/** A queue or topic name with its kind. Immutable, serializable (JNDI binds them), equal by kind and name. */
public abstract class HeraldDestination implements Destination, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;

    HeraldDestination(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("destination name must not be empty");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    public abstract DestinationKind kind();

    /** Rebuilds a destination from what a message carries on the wire. */
    public static HeraldDestination of(DestinationKind kind, String name) {
        return switch (kind) {
            case QUEUE -> new HeraldQueue(name);
            case TOPIC -> new HeraldTopic(name);
            case TEMPORARY_QUEUE -> new HeraldTemporaryQueue(name, null);
            case TEMPORARY_TOPIC -> new HeraldTemporaryTopic(name, null);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeraldDestination d && d.kind() == kind() && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind(), name);
    }

    @Override
    public String toString() {
        return kind().name().toLowerCase() + "://" + name;
    }
}
