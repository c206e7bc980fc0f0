package io.heraldmq.samples;

import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.util.Hashtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transacted sample as a user runs it: every order invoiced once, in order; failed orders redelivered. */
class TransactedSampleIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void everyOrderGetsExactlyOneInvoiceDespiteRollbacks() throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.PROVIDER_URL, broker.url());
        TransactedSample.Result r = TransactedSample.run(new InitialContext(env), 1000);
        assertEquals(1000, r.invoices().size());
        assertEquals(100, r.rolledBack());
        assertEquals(100, r.redelivered());
        assertTrue(r.ok(), "invoices missing, duplicated or out of order");
    }
}
