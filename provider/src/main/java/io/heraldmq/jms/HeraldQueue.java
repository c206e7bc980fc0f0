package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import jakarta.jms.Queue;

/** A queue: each message goes to one consumer. */
public class HeraldQueue extends HeraldDestination implements Queue {
    private static final long serialVersionUID = 1L;

    public HeraldQueue(String name) {
        super(name);
    }

    @Override
    public String getQueueName() {
        return name();
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.QUEUE;
    }
}
