package io.heraldmq.jms;

import io.heraldmq.protocol.DestinationKind;
import jakarta.jms.Topic;

/** A topic: each message goes to every subscription. */
public class HeraldTopic extends HeraldDestination implements Topic {
    private static final long serialVersionUID = 1L;

    public HeraldTopic(String name) {
        super(name);
    }

    @Override
    public String getTopicName() {
        return name();
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TOPIC;
    }
}
