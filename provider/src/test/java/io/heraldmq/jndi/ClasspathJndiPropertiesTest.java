package io.heraldmq.jndi;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Uses {@code new InitialContext()} and src/test/resources/jndi.properties exactly as an application would. */
class ClasspathJndiPropertiesTest {
    @Test
    void applicationStyleLookupsThroughJndiPropertiesOnTheClasspath() throws Exception {
        Context ctx = new InitialContext();
        try {
            HeraldConnectionFactory cf = (HeraldConnectionFactory) ctx.lookup("ConnectionFactory");
            assertEquals("tcp://127.0.0.1:7441", cf.getBrokerUrl());

            HeraldConnectionFactory orders = (HeraldConnectionFactory) ctx.lookup("jms/cf/orders");
            assertEquals("tcp://broker1:7450,broker2:7451?clientID=orders-app", orders.getBrokerUrl());
            assertEquals("orders-app", orders.getClientID());

            HeraldConnectionFactory qpid = (HeraldConnectionFactory) ctx.lookup("qpidStyle");
            assertEquals("tcp://127.0.0.1:7452", qpid.getBrokerUrl());

            Queue queue = (Queue) ctx.lookup("jms/queue/orders");
            assertEquals("orders.incoming", queue.getQueueName());
            assertEquals(new HeraldQueue("orders.v2"), ctx.lookup("orders.v2"));
            Topic topic = (Topic) ctx.lookup("jms/topic/prices");
            assertEquals("prices.eu", topic.getTopicName());

            assertInstanceOf(HeraldQueue.class, ctx.lookup("dynamicQueues/made.up"));
            assertEquals(new HeraldTopic("made.up"), ctx.lookup("dynamicTopics/made.up"));
            assertThrows(NameNotFoundException.class, () -> ctx.lookup("jms/queue/missing"));
        } finally {
            ctx.close();
        }
    }
}
