package io.heraldmq.jms;

import jakarta.jms.JMSException;

/**
 * The connection under one or more {@link HeraldJMSContext}s: {@code JMSContext.createContext(int)} shares it, and
 * it closes when the last context using it closes.
 */
final class ContextConnection {
    private final HeraldConnection connection;
    private int users = 1;

    ContextConnection(HeraldConnection connection) {
        this.connection = connection;
    }

    HeraldConnection connection() {
        return connection;
    }

    /** @return false if the connection has already been closed by its last user */
    synchronized boolean acquire() {
        if (users == 0) {
            return false;
        }
        users++;
        return true;
    }

    void release() throws JMSException {
        boolean last;
        synchronized (this) {
            last = users > 0 && --users == 0;
        }
        if (last) {
            connection.close();
        }
    }
}
