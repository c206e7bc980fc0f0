package io.heraldmq.ra;

import javax.transaction.xa.Xid;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** New xids as a transaction manager makes them: its own Xid class, a new global id each. */
final class TestXids {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestXids() {
    }

    static Xid next(String prefix) {
        byte[] g = (prefix + "-" + NEXT.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        return new Xid() {
            @Override
            public int getFormatId() {
                return 4242;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return g.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {1};
            }

            @Override
            public String toString() {
                return new String(g, StandardCharsets.UTF_8);
            }
        };
    }
}
