package io.heraldmq.ra;

import jakarta.jms.Queue;

/** A queue as the application server's administered object (see {@link HeraldAdminObject}). */
public final class HeraldQueueAdminObject extends HeraldAdminObject implements Queue {
    private static final long serialVersionUID = 1L;

    @Override
    public String getQueueName() {
        return getName();
    }

    @Override
    String kind() {
        return "queue";
    }
}
