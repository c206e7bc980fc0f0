package io.heraldmq.tck.simplified;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.CompletionListener;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, the simplified API's JMSContext (chapter 6, connections and sessions, which a JMSContext
 * combines; and the {@code jakarta.jms.JMSContext} Javadoc): the four factory methods, contexts sharing a
 * connection, autoStart, client acknowledgement, the connection methods, closed contexts, and the calls that are
 * illegal from a context's own listeners (6.1.5, 6.1.8).
 */
class JMSContextIT {
    private static final long WAIT_MS = 30_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private HeraldConnectionFactory cf() {
        return new HeraldConnectionFactory(broker.url());
    }

    private static void roundTrip(JMSContext ctx, String queue) {
        Queue q = ctx.createQueue(queue);
        JMSConsumer c = ctx.createConsumer(q);
        ctx.createProducer().send(q, "hello " + queue);
        assertEquals("hello " + queue, c.receiveBody(String.class, WAIT_MS));
    }

    @Test
    void everyFactoryMethodGivesAWorkingContextWithItsSessionMode() {
        HeraldConnectionFactory cf = cf();
        try (JMSContext a = cf.createContext();
             JMSContext b = cf.createContext("user", "secret");
             JMSContext c = cf.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
             JMSContext d = cf.createContext("user", "secret", JMSContext.DUPS_OK_ACKNOWLEDGE)) {
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, a.getSessionMode());
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, b.getSessionMode());
            assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, c.getSessionMode());
            assertEquals(JMSContext.DUPS_OK_ACKNOWLEDGE, d.getSessionMode());
            for (JMSContext ctx : List.of(a, b, c, d)) {
                assertFalse(ctx.getTransacted());
                assertTrue(ctx.getAutoStart(), "autoStart is true by default");
            }
            roundTrip(a, "ctx.factory.a");
            roundTrip(b, "ctx.factory.b");
            roundTrip(d, "ctx.factory.d");
        }
    }

    @Test
    void anInvalidSessionModeIsRefused() {
        assertThrows(JMSRuntimeException.class, () -> cf().createContext(42));
        try (JMSContext ctx = cf().createContext()) {
            assertThrows(JMSRuntimeException.class, () -> ctx.createContext(-7));
        }
    }

    @Test
    void autoStartStartsTheConnectionWhenAConsumerIsCreated() {
        try (JMSContext ctx = cf().createContext()) {
            Queue q = ctx.createQueue("ctx.autostart");
            ctx.createProducer().send(q, "m1");
            JMSConsumer c = ctx.createConsumer(q);
            assertEquals("m1", c.receiveBody(String.class, WAIT_MS), "delivered without an explicit start()");
        }
    }

    @Test
    void withoutAutoStartNothingIsDeliveredUntilStart() {
        try (JMSContext ctx = cf().createContext()) {
            ctx.setAutoStart(false);
            assertFalse(ctx.getAutoStart());
            Queue q = ctx.createQueue("ctx.noautostart");
            JMSConsumer c = ctx.createConsumer(q);
            ctx.createProducer().send(q, "m1");
            // A stopped connection never delivers, so this null does not depend on timing.
            assertNull(c.receive(300));
            ctx.start();
            assertEquals("m1", c.receiveBody(String.class, WAIT_MS));
        }
    }

    @Test
    void contextsMadeByCreateContextShareTheConnectionWhichClosesWithTheLast() {
        // The broker allows one connection per client id, which shows whether the shared connection is open.
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url() + "?clientID=ctx-share");
        JMSContext first = cf.createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        assertEquals("ctx-share", second.getClientID());
        assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, second.getSessionMode());
        first.close();
        assertThrows(IllegalStateRuntimeException.class, first::getClientID);
        assertThrows(InvalidClientIDRuntimeException.class, cf::createContext,
                "the connection is still open for the second context");
        roundTrip(second, "ctx.shared");
        second.acknowledge();
        second.close();
        await().atMost(Duration.ofMillis(WAIT_MS)).ignoreExceptionsInstanceOf(InvalidClientIDRuntimeException.class)
                .until(() -> {
                    cf.createContext().close();
                    return true;
                });
    }

    @Test
    void createContextOnAClosedContextIsIllegal() {
        JMSContext ctx = cf().createContext();
        ctx.close();
        assertThrows(IllegalStateRuntimeException.class, () -> ctx.createContext(JMSContext.AUTO_ACKNOWLEDGE));
    }

    @Test
    void clientAcknowledgeAcknowledgesEverythingConsumedThroughTheContext() {
        HeraldConnectionFactory cf = cf();
        try (JMSContext ctx = cf.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("ctx.clientack");
            ctx.createProducer().send(q, "a").send(q, "b");
            JMSConsumer c = ctx.createConsumer(q);
            assertEquals("a", c.receiveBody(String.class, WAIT_MS));
            assertEquals("b", c.receiveBody(String.class, WAIT_MS));
        } // closed without acknowledge: both come back
        try (JMSContext ctx = cf.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue("ctx.clientack");
            JMSConsumer c = ctx.createConsumer(q);
            Message a = c.receive(WAIT_MS);
            Message b = c.receive(WAIT_MS);
            assertEquals("a", ((TextMessage) a).getText());
            assertEquals("b", ((TextMessage) b).getText());
            assertTrue(a.getJMSRedelivered());
            ctx.acknowledge();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
        try (JMSContext ctx = cf.createContext()) {
            JMSConsumer c = ctx.createConsumer(ctx.createQueue("ctx.clientack"));
            assertNull(c.receive(500), "acknowledged messages are gone");
        }
    }

    @Test
    void acknowledgeHasNoEffectInAutoMode() {
        try (JMSContext ctx = cf().createContext()) {
            ctx.acknowledge();
            roundTrip(ctx, "ctx.autoack");
            ctx.acknowledge();
        }
    }

    @Test
    void connectionMethodsWorkThroughTheContext() throws Exception {
        try (JMSContext ctx = cf().createContext()) {
            ConnectionMetaData md = ctx.getMetaData();
            assertEquals("3.1", md.getJMSVersion());
            assertEquals(3, md.getJMSMajorVersion());
            assertEquals(1, md.getJMSMinorVersion());
            assertEquals("HeraldMQ", md.getJMSProviderName());
            List<Object> jmsx = Collections.list(md.getJMSXPropertyNames());
            assertTrue(jmsx.containsAll(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq")), jmsx.toString());
            assertNull(ctx.getExceptionListener());
            ExceptionListener l = e -> { };
            ctx.setExceptionListener(l);
            assertSame(l, ctx.getExceptionListener());
            assertNull(ctx.getClientID());
            ctx.stop();
            ctx.start();
        }
    }

    @Test
    void classicExceptionsBecomeTheirRuntimeTwins() {
        try (JMSContext ctx = cf().createContext()) {
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createConsumer(null));
            assertThrows(InvalidSelectorRuntimeException.class,
                    () -> ctx.createConsumer(ctx.createQueue("ctx.badselector"), "color = = 'red'"));
            assertThrows(IllegalStateRuntimeException.class, ctx::commit, "not transacted");
            assertThrows(IllegalStateRuntimeException.class, ctx::rollback, "not transacted");
        }
    }

    @Test
    void everyMethodOfAClosedContextThrowsIllegalStateRuntimeExceptionAndCloseIsANoOp() {
        JMSContext ctx = cf().createContext();
        Queue q = ctx.createQueue("ctx.closed");
        jakarta.jms.JMSProducer producer = ctx.createProducer();
        ctx.close();
        ctx.close();
        assertThrows(IllegalStateRuntimeException.class, () -> producer.send(q, "x"), "a producer of a closed context");
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("createProducer", ctx::createProducer);
        calls.put("createConsumer", () -> ctx.createConsumer(q));
        calls.put("createDurableConsumer", () -> ctx.createDurableConsumer(ctx.createTopic("t"), "d"));
        calls.put("createSharedConsumer", () -> ctx.createSharedConsumer(ctx.createTopic("t"), "s"));
        calls.put("createBrowser", () -> ctx.createBrowser(q));
        calls.put("createQueue", () -> ctx.createQueue("x"));
        calls.put("createTopic", () -> ctx.createTopic("x"));
        calls.put("createTemporaryQueue", ctx::createTemporaryQueue);
        calls.put("createTextMessage", ctx::createTextMessage);
        calls.put("createBytesMessage", ctx::createBytesMessage);
        calls.put("createMapMessage", ctx::createMapMessage);
        calls.put("createObjectMessage", ctx::createObjectMessage);
        calls.put("createStreamMessage", ctx::createStreamMessage);
        calls.put("createMessage", ctx::createMessage);
        calls.put("getSessionMode", ctx::getSessionMode);
        calls.put("getTransacted", ctx::getTransacted);
        calls.put("commit", ctx::commit);
        calls.put("rollback", ctx::rollback);
        calls.put("recover", ctx::recover);
        calls.put("acknowledge", ctx::acknowledge);
        calls.put("unsubscribe", () -> ctx.unsubscribe("d"));
        calls.put("getClientID", ctx::getClientID);
        calls.put("getMetaData", ctx::getMetaData);
        calls.put("getExceptionListener", ctx::getExceptionListener);
        calls.put("setExceptionListener", () -> ctx.setExceptionListener(null));
        calls.put("start", ctx::start);
        calls.put("stop", ctx::stop);
        calls.put("getAutoStart", ctx::getAutoStart);
        calls.put("setAutoStart", () -> ctx.setAutoStart(false));
        calls.put("createContext", () -> ctx.createContext(JMSContext.AUTO_ACKNOWLEDGE));
        for (Map.Entry<String, Executable> e : calls.entrySet()) {
            assertThrows(IllegalStateRuntimeException.class, e.getValue(), e.getKey());
        }
    }

    @Test
    void aMessageListenerMustNotStopOrCloseItsOwnContext() throws Exception {
        try (JMSContext ctx = cf().createContext()) {
            Queue q = ctx.createQueue("ctx.listener.own");
            CompletableFuture<List<Class<?>>> outcome = new CompletableFuture<>();
            ctx.createConsumer(q).setMessageListener(m -> {
                Class<?> onStop = thrown(ctx::stop);
                Class<?> onClose = thrown(ctx::close);
                outcome.complete(List.of(onStop, onClose));
            });
            ctx.createProducer().send(q, "go");
            assertEquals(List.of(IllegalStateRuntimeException.class, IllegalStateRuntimeException.class),
                    outcome.get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aCompletionListenerMustNotCloseCommitOrRollBackItsOwnContext() throws Exception {
        try (JMSContext ctx = cf().createContext()) {
            Queue q = ctx.createQueue("ctx.completion.own");
            CompletableFuture<List<Class<?>>> outcome = new CompletableFuture<>();
            ctx.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    outcome.complete(List.of(thrown(ctx::close), thrown(ctx::commit), thrown(ctx::rollback)));
                }

                @Override
                public void onException(Message message, Exception exception) {
                    outcome.completeExceptionally(exception);
                }
            }).send(q, "async");
            assertEquals(List.of(IllegalStateRuntimeException.class, IllegalStateRuntimeException.class,
                    IllegalStateRuntimeException.class), outcome.get(WAIT_MS, TimeUnit.MILLISECONDS));
            roundTrip(ctx, "ctx.completion.after");
        }
    }

    private static Class<?> thrown(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    @Test
    void consumersOfAContextAreClosedWithIt() {
        JMSContext ctx = cf().createContext();
        JMSConsumer c = ctx.createConsumer(ctx.createQueue("ctx.closes.consumers"));
        ctx.close();
        assertThrows(IllegalStateRuntimeException.class, () -> c.receive(10));
        assertThrows(IllegalStateRuntimeException.class, c::getMessageSelector);
    }
}
