package io.heraldmq.samples;

import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.util.Hashtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample as a user runs it, against a real broker: 10,000 messages each way, nothing lost or duplicated. */
class PubSubSampleIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void tenThousandMessagesThroughTopicAndQueue() throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        // Everything else comes from the sample's own jndi.properties on the classpath.
        env.put(Context.PROVIDER_URL, broker.url());
        PubSubSample.Result r = PubSubSample.run(new InitialContext(env), 10_000);
        assertEquals(10_000, r.topicReceived().get(0).size());
        assertEquals(10_000, r.topicReceived().get(1).size());
        assertEquals(10_000, r.queueDistinct());
        assertEquals(0, r.queueDuplicates());
        assertEquals(10_000, r.queueReceivedPerConsumer()[0] + r.queueReceivedPerConsumer()[1]);
        assertTrue(r.ok(), "topic order or queue exactly-once violated");
    }
}
