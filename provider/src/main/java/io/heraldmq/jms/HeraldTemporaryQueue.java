package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/** A queue that lives as long as the connection that created it. */
public final class HeraldTemporaryQueue extends HeraldQueue implements TemporaryQueue {
    private static final long serialVersionUID = 1L;

    /** The creating connection; null when rebuilt from a received message. */
    private final transient HeraldConnection owner;

    public HeraldTemporaryQueue(String name, HeraldConnection owner) {
        super(name);
        this.owner = owner;
    }

    HeraldConnection owner() {
        return owner;
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TEMPORARY_QUEUE;
    }

    @Override
    public void delete() throws JMSException {
        if (owner != null) {
            owner.deleteTemporaryDestination(this);
        }
    }
}
