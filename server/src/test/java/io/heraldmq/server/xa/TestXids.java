package io.heraldmq.server.xa;

import javax.transaction.xa.Xid;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Xids as a transaction manager makes them: its own class, compared by value only through HeraldMQ's copy. */
public final class TestXids {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestXids() {
    }

    public static Xid next() {
        int n = NEXT.incrementAndGet();
        return of("gtrid-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + n, "b" + n);
    }

    public static Xid of(String gtrid, String bqual) {
        byte[] g = gtrid.getBytes(StandardCharsets.US_ASCII);
        byte[] b = bqual.getBytes(StandardCharsets.US_ASCII);
        return new Xid() {
            @Override
            public int getFormatId() {
                return 0x4842;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return g.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return b.clone();
            }

            @Override
            public String toString() {
                return gtrid + "/" + bqual;
            }
        };
    }

    /** Whether {@code listed} (an XA_RECOVER's answer: HeraldMQ's own Xid objects) has {@code wanted}, by value. */
    public static boolean contains(Xid[] listed, Xid wanted) {
        for (Xid x : listed) {
            if (x.getFormatId() == wanted.getFormatId()
                    && java.util.Arrays.equals(x.getGlobalTransactionId(), wanted.getGlobalTransactionId())
                    && java.util.Arrays.equals(x.getBranchQualifier(), wanted.getBranchQualifier())) {
                return true;
            }
        }
        return false;
    }
}
