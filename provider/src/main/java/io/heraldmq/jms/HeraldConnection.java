package io.heraldmq.jms;

import jakarta.jms.JMSException;

/** Placeholder while the client is being written. */
public class HeraldConnection {
    void deleteTemporaryDestination(HeraldDestination destination) throws JMSException {
    }
}
