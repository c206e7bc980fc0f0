package io.heraldmq.ra.app;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A second resource manager for the crash test: it votes yes, and its commit waits until the test released it, so
 * the test can kill the broker while HeraldMQ's branch is prepared and not yet committed.
 */
public final class BlockingXAResource implements XAResource {
    public static final BlockingXAResource INSTANCE = new BlockingXAResource();

    private volatile String state = "idle";
    private volatile CountDownLatch release = new CountDownLatch(1);

    public String state() {
        return state;
    }

    public void release() {
        release.countDown();
    }

    @Override
    public void start(Xid xid, int flags) {
        state = "started";
    }

    @Override
    public void end(Xid xid, int flags) {
        state = "ended";
    }

    @Override
    public int prepare(Xid xid) {
        state = "prepared";
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        state = "committing";
        try {
            if (!release.await(120, TimeUnit.SECONDS)) {
                throw new XAException(XAException.XAER_RMFAIL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XAException(XAException.XAER_RMFAIL);
        }
        state = "committed";
        release = new CountDownLatch(1);
    }

    @Override
    public void rollback(Xid xid) {
        state = "rolled back";
    }

    @Override
    public void forget(Xid xid) {
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
