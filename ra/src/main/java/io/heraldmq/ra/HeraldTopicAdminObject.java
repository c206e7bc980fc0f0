package io.heraldmq.ra;

import jakarta.jms.Topic;

/** A topic as the application server's administered object (see {@link HeraldAdminObject}). */
public final class HeraldTopicAdminObject extends HeraldAdminObject implements Topic {
    private static final long serialVersionUID = 1L;

    @Override
    public String getTopicName() {
        return getName();
    }

    @Override
    String kind() {
        return "topic";
    }
}
