package io.heraldmq.tck.simplified;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, the simplified API's JMSConsumer (chapter 8, receiving messages; and the
 * {@code jakarta.jms.JMSConsumer} Javadoc): receive and receiveBody of each body type, and what happens when
 * receiveBody meets a message whose body cannot be returned as the asked type (AUTO/DUPS_OK: delivered again first,
 * not counted as redelivered; CLIENT_ACKNOWLEDGE: treated as received).
 */
class JMSConsumerIT {
    private static final long WAIT_MS = 30_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private JMSContext context(int mode) {
        return new HeraldConnectionFactory(broker.url()).createContext(mode);
    }

    @Test
    void receiveBodyReturnsTheBodyOfEachType() {
        try (JMSContext ctx = context(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("consumer.bodies");
            JMSConsumer c = ctx.createConsumer(q);
            JMSProducer p = ctx.createProducer();
            p.send(q, "text").send(q, new byte[] {4, 5}).send(q, Map.of("k", (Object) "v"))
                    .send(q, (Serializable) new ArrayList<>(List.of(1, 2)));
            assertEquals("text", c.receiveBody(String.class));
            assertArrayEquals(new byte[] {4, 5}, c.receiveBody(byte[].class, WAIT_MS));
            assertEquals(Map.of("k", "v"), c.receiveBody(Map.class, WAIT_MS));
            assertEquals(List.of(1, 2), c.receiveBody(Serializable.class, WAIT_MS));
            p.send(q, "last");
            assertEquals("last", c.receiveBody(Object.class, WAIT_MS), "any supertype of the body type will do");
            assertNull(c.receiveBodyNoWait(String.class), "no message");
            assertNull(c.receiveBody(String.class, 200), "no message");
        }
    }

    @Test
    void receiveBodyNoWaitTakesABufferedMessage() {
        try (JMSContext ctx = context(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("consumer.nowait");
            JMSConsumer c = ctx.createConsumer(q);
            ctx.createProducer().send(q, "x");
            Message m = c.receive(WAIT_MS);
            assertEquals("x", ((TextMessage) m).getBody(String.class));
            ctx.createProducer().send(q, "y");
            org.awaitility.Awaitility.await().until(() -> "y".equals(c.receiveBodyNoWait(String.class)));
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWrongBodyTypeInAutoModeIsDeliveredAgainFirstAndNotCountedAsRedelivered() throws Exception {
        for (int mode : new int[] {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE}) {
            try (JMSContext ctx = context(mode)) {
                Queue q = ctx.createQueue("consumer.wrongtype." + mode);
                JMSConsumer c = ctx.createConsumer(q);
                ctx.createProducer().send(q, "a text").send(q, "second");
                assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(byte[].class, WAIT_MS));
                assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Integer.class, WAIT_MS));
                Message again = c.receive(WAIT_MS);
                assertEquals("a text", ((TextMessage) again).getText(), "the same message, before the next one");
                assertFalse(again.getJMSRedelivered());
                assertEquals(1, again.getIntProperty("JMSXDeliveryCount"));
                assertEquals("second", c.receiveBody(String.class, WAIT_MS));
            }
        }
    }

    @Test
    void aWrongBodyTypeInAutoModeIsNotAcknowledged() {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (JMSContext ctx = cf.createContext()) {
            Queue q = ctx.createQueue("consumer.wrongtype.kept");
            JMSConsumer c = ctx.createConsumer(q);
            ctx.createProducer().send(q, "keep me");
            assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(byte[].class, WAIT_MS));
        }
        try (JMSContext ctx = cf.createContext()) {
            JMSConsumer c = ctx.createConsumer(ctx.createQueue("consumer.wrongtype.kept"));
            assertEquals("keep me", c.receiveBody(String.class, WAIT_MS), "still on the queue");
        }
    }

    @Test
    void plainAndStreamMessagesCannotBeReceivedWithReceiveBody() throws Exception {
        try (JMSContext ctx = context(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("consumer.nobody");
            JMSConsumer c = ctx.createConsumer(q);
            StreamMessage s = ctx.createStreamMessage();
            s.writeInt(1);
            ctx.createProducer().send(q, ctx.createMessage()).send(q, s);
            assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Object.class, WAIT_MS));
            Message plain = c.receive(WAIT_MS);
            assertFalse(plain instanceof TextMessage);
            assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(Object.class, WAIT_MS));
            StreamMessage stream = (StreamMessage) c.receive(WAIT_MS);
            assertEquals(1, stream.readInt());
        }
    }

    @Test
    void aWrongBodyTypeInClientAcknowledgeModeCountsAsReceived() throws Exception {
        try (JMSContext ctx = context(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("consumer.wrongtype.client");
            JMSConsumer c = ctx.createConsumer(q);
            ctx.createProducer().send(q, "first").send(q, "second");
            assertThrows(MessageFormatRuntimeException.class, () -> c.receiveBody(byte[].class, WAIT_MS));
            assertEquals("second", c.receiveBody(String.class, WAIT_MS), "the first is not delivered again");
            ctx.acknowledge();
        }
    }

    @Test
    void selectorAndListener() throws Exception {
        try (JMSContext ctx = context(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("consumer.listener");
            JMSConsumer plain = ctx.createConsumer(q);
            assertNull(plain.getMessageSelector());
            assertNull(plain.getMessageListener());
            CompletableFuture<String> got = new CompletableFuture<>();
            MessageListener l = m -> {
                try {
                    got.complete(m.getBody(String.class));
                } catch (jakarta.jms.JMSException e) {
                    got.completeExceptionally(e);
                }
            };
            plain.setMessageListener(l);
            assertSame(l, plain.getMessageListener());
            ctx.createProducer().send(q, "to the listener");
            assertEquals("to the listener", got.get(WAIT_MS, TimeUnit.MILLISECONDS));
            plain.close();

            JMSConsumer selective = ctx.createConsumer(ctx.createTopic("consumer.selector"), "color = 'red'");
            assertEquals("color = 'red'", selective.getMessageSelector());
        }
    }
}
