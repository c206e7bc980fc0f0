package io.heraldmq.jms;

import io.heraldmq.protocol.WireXid;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The XA branches of one connection that the broker has not decided yet, by xid: shared by the connection's XA
 * sessions, so that one session can join a branch another started ({@code TMJOIN}), which is what
 * {@link HeraldXAResource#isSameRM} promises for resources of one connection. Also remembers (the last 1,000) xids
 * whose branch timed out before it was prepared, so that the transaction manager's later call on them is answered
 * XA_RBTIMEOUT, not XAER_NOTA. Every method is called with this object's lock held by the caller.
 */
final class XaBranches {
    private static final int TIMED_OUT_REMEMBERED = 1000;

    private final Map<WireXid, XaBranch> branches = new HashMap<>();
    private final Map<WireXid, Boolean> timedOut = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WireXid, Boolean> eldest) {
            return size() > TIMED_OUT_REMEMBERED;
        }
    };

    XaBranch get(WireXid xid) {
        return branches.get(xid);
    }

    void put(XaBranch branch) {
        branches.put(branch.xid, branch);
        timedOut.remove(branch.xid);
    }

    void remove(XaBranch branch) {
        branches.remove(branch.xid, branch);
    }

    boolean timedOut(WireXid xid) {
        return timedOut.containsKey(xid);
    }

    void forgetTimedOut(WireXid xid) {
        timedOut.remove(xid);
    }

    /**
     * Arms the branch's timeout: when it passes, a branch still WORKING is rolled back at once if no session is
     * associated with it (its deliveries go back, so a transaction manager that never comes back costs nothing),
     * else marked rollback-only (XA_RBTIMEOUT at its end).
     */
    void armTimeout(XaBranch branch, int seconds) {
        CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> {
            synchronized (this) {
                if (branches.get(branch.xid) != branch || branch.state != XaBranch.State.WORKING) {
                    return;
                }
                branch.rollbackOnly(javax.transaction.xa.XAException.XA_RBTIMEOUT,
                        "its transaction timeout of " + seconds + " s passed before it was prepared");
                if (!branch.isAssociated()) {
                    branches.remove(branch.xid);
                    timedOut.put(branch.xid, Boolean.TRUE);
                    branch.discard();
                }
            }
        });
    }
}
