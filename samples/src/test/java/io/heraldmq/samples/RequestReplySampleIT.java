package io.heraldmq.samples;

import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.time.Duration;
import java.util.Hashtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request/reply sample as a user runs it, against a real broker: every request gets its own answer. */
class RequestReplySampleIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void everyRequestIsAnsweredThroughATemporaryQueue() {
        Hashtable<String, Object> env = new Hashtable<>();
        // Everything else comes from the sample's own jndi.properties on the classpath.
        env.put(Context.PROVIDER_URL, broker.url());
        // QueueRequestor.request waits without a timeout: bound the run so a lost reply fails instead of hanging.
        RequestReplySample.Result r = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> RequestReplySample.run(new InitialContext(env), 200));
        assertEquals(200, r.sent());
        assertEquals(200, r.answeredCorrectly());
        assertTrue(r.ok());
    }
}
