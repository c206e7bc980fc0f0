package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/** A topic that lives as long as the connection that created it. */
public final class HeraldTemporaryTopic extends HeraldTopic implements TemporaryTopic {
    private static final long serialVersionUID = 1L;

    /** The creating connection; null when rebuilt from a received message. */
    private final transient HeraldConnection owner;

    public HeraldTemporaryTopic(String name, HeraldConnection owner) {
        super(name);
        this.owner = owner;
    }

    HeraldConnection owner() {
        return owner;
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TEMPORARY_TOPIC;
    }

    @Override
    public void delete() throws JMSException {
        if (owner != null) {
            owner.deleteTemporaryDestination(this);
        }
    }
}
