package io.heraldmq.ra;

import jakarta.jms.JMSException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;

/**
 * The resource-manager-local transaction the server drives for a LocalTransaction pool (or for a container
 * transaction with this connection as its only resource): between {@code begin} and {@code commit}/{@code rollback}
 * new session handles work on the managed connection's transacted session, whose commit sends everything at once.
 */
final class HeraldLocalTransaction implements LocalTransaction {
    private final HeraldManagedConnection mc;
    private volatile boolean active;

    HeraldLocalTransaction(HeraldManagedConnection mc) {
        this.mc = mc;
    }

    boolean isActive() {
        return active;
    }

    @Override
    public void begin() throws ResourceException {
        if (active) {
            throw new LocalTransactionException("a local transaction is active already");
        }
        try {
            mc.localSession();
        } catch (JMSException e) {
            throw new LocalTransactionException("cannot begin: " + e.getMessage(), e);
        }
        active = true;
    }

    @Override
    public void commit() throws ResourceException {
        end(true);
    }

    @Override
    public void rollback() throws ResourceException {
        end(false);
    }

    private void end(boolean commit) throws ResourceException {
        if (!active) {
            throw new LocalTransactionException("no local transaction is active");
        }
        active = false;
        try {
            if (commit) {
                mc.localSession().commit();
            } else {
                mc.localSession().rollback();
            }
        } catch (JMSException e) {
            mc.handleFailed(e);
            throw new LocalTransactionException((commit ? "commit" : "rollback") + " failed: " + e.getMessage(), e);
        }
    }

    /** The connection goes back to the pool: an unfinished local transaction is rolled back. */
    void abandon() {
        if (active) {
            try {
                end(false);
            } catch (ResourceException ignored) {
                // the connection is broken; the broker has nothing of an uncommitted local transaction
            }
        }
    }
}
