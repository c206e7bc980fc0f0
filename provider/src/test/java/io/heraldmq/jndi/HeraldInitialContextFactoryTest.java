package io.heraldmq.jndi;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import org.junit.jupiter.api.Test;

import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.NotContextException;
import javax.naming.OperationNotSupportedException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeraldInitialContextFactoryTest {

    private static Context context(String... keyValues) throws NamingException {
        Hashtable<Object, Object> env = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return new HeraldInitialContextFactory().getInitialContext(env);
    }

    // ---- connection factories ----

    @Test
    void providerUrlBindsConnectionFactory() throws Exception {
        Context ctx = context(Context.PROVIDER_URL, "tcp://127.0.0.1:7555");
        HeraldConnectionFactory cf = (HeraldConnectionFactory) ctx.lookup("ConnectionFactory");
        assertEquals("tcp://127.0.0.1:7555", cf.getBrokerUrl());
        assertNull(cf.getClientID());
    }

    @Test
    void connectionFactoryIsBoundToTheDefaultUrlWithoutProviderUrl() throws Exception {
        HeraldConnectionFactory cf = (HeraldConnectionFactory) context().lookup("ConnectionFactory");
        assertEquals("tcp://127.0.0.1:7440", cf.getBrokerUrl());
        assertEquals(HeraldInitialContextFactory.DEFAULT_BROKER_URL, cf.getBrokerUrl());
    }

    @Test
    void nullEnvironmentGivesTheDefaultConnectionFactory() throws Exception {
        Context ctx = new HeraldInitialContextFactory().getInitialContext(null);
        assertInstanceOf(HeraldConnectionFactory.class, ctx.lookup("ConnectionFactory"));
    }

    @Test
    void explicitConnectionFactoryEntryWinsOverProviderUrl() throws Exception {
        Context ctx = context(Context.PROVIDER_URL, "tcp://a:1", "connectionFactory.ConnectionFactory", "tcp://b:2");
        assertEquals("tcp://b:2", ((HeraldConnectionFactory) ctx.lookup("ConnectionFactory")).getBrokerUrl());
    }

    @Test
    void emptyOrOptionsOnlyConnectionFactoryEntriesUseTheProviderUrl() throws Exception {
        Context ctx = context(Context.PROVIDER_URL, "tcp://127.0.0.1:7555", "connectionFactory.Plain", "",
                "connectionFactory.Durable", "?clientID=cts");
        assertEquals("tcp://127.0.0.1:7555", ((HeraldConnectionFactory) ctx.lookup("Plain")).getBrokerUrl());
        HeraldConnectionFactory durable = (HeraldConnectionFactory) ctx.lookup("Durable");
        assertEquals("cts", durable.getClientID());
        assertTrue(durable.getBrokerUrl().startsWith("tcp://127.0.0.1:7555"), durable.getBrokerUrl());
        assertEquals(HeraldInitialContextFactory.DEFAULT_BROKER_URL,
                ((HeraldConnectionFactory) context("connectionFactory.X", "").lookup("X")).getBrokerUrl());
    }

    @Test
    void connectionFactoryArtemisSpelling() throws Exception {
        Context ctx = context("connectionFactory.myCF", "tcp://host1:7001");
        HeraldConnectionFactory cf = (HeraldConnectionFactory) ctx.lookup("myCF");
        assertEquals("tcp://host1:7001", cf.getBrokerUrl());
        // The default one is still there.
        assertInstanceOf(HeraldConnectionFactory.class, ctx.lookup("ConnectionFactory"));
    }

    @Test
    void connectionFactoryQpidSpelling() throws Exception {
        Context ctx = context("connectionfactory.qpidCF", "tcp://host2:7002");
        assertEquals("tcp://host2:7002", ((HeraldConnectionFactory) ctx.lookup("qpidCF")).getBrokerUrl());
    }

    @Test
    void clientIdOptionReachesTheFactory() throws Exception {
        Context ctx = context("connectionFactory.withId", "tcp://127.0.0.1:7440?clientID=my-app%2F1");
        HeraldConnectionFactory cf = (HeraldConnectionFactory) ctx.lookup("withId");
        assertEquals("my-app/1", cf.getClientID());
    }

    @Test
    void multiBrokerUrl() throws Exception {
        String url = "tcp://h1:7001,h2:7002,h3?clientID=x";
        Context ctx = context("connectionFactory.cluster", url);
        HeraldConnectionFactory cf = (HeraldConnectionFactory) ctx.lookup("cluster");
        assertEquals(url, cf.getBrokerUrl());
        assertEquals("x", cf.getClientID());
    }

    @Test
    void badConnectionFactoryUrlFailsCreationNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> context("connectionFactory.broken", "http://nowhere:80"));
        assertTrue(e.getMessage().contains("connectionFactory.broken"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getRootCause());

        e = assertThrows(ConfigurationException.class, () -> context("connectionfactory.badPort", "tcp://h:99999"));
        assertTrue(e.getMessage().contains("connectionfactory.badPort"), e.getMessage());
    }

    @Test
    void badProviderUrlFailsCreationNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> context(Context.PROVIDER_URL, "file:///etc/jndi.properties"));
        assertTrue(e.getMessage().contains(Context.PROVIDER_URL), e.getMessage());
    }

    @Test
    void badUrlThroughInitialContextIsANamingException() {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, HeraldInitialContextFactory.class.getName());
        env.put("connectionFactory.broken", "tcp://:7440");
        NamingException e = assertThrows(NamingException.class, () -> new InitialContext(env));
        assertTrue(e.getMessage().contains("connectionFactory.broken"), e.getMessage());
    }

    @Test
    void nonStringValueIsAConfigurationError() {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put("queue.q", 42);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new HeraldInitialContextFactory().getInitialContext(env));
        assertTrue(e.getMessage().contains("queue.q"), e.getMessage());
    }

    @Test
    void emptyJndiNameOrPhysicalNameIsAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> context("queue.", "q"));
        assertTrue(e.getMessage().contains("queue."), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> context("topic.t", ""));
        assertTrue(e.getMessage().contains("topic.t"), e.getMessage());
    }

    @Test
    void twoEntriesBindingOneNameIsAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> context("queue.same", "a", "topic.same", "b"));
        assertTrue(e.getMessage().contains("queue.same") && e.getMessage().contains("topic.same"), e.getMessage());
    }

    // ---- destinations ----

    @Test
    void queueAndTopicEntries() throws Exception {
        Context ctx = context("queue.myQueue", "physical.queue", "topic.myTopic", "physical.topic");
        HeraldQueue q = (HeraldQueue) ctx.lookup("myQueue");
        assertEquals("physical.queue", q.getQueueName());
        HeraldTopic t = (HeraldTopic) ctx.lookup("myTopic");
        assertEquals("physical.topic", t.getTopicName());
    }

    @Test
    void jndiNamesWithSlashesAndDotsAreFlatKeys() throws Exception {
        Context ctx = context(
                "queue.jms/queue/orders", "orders",
                "queue.a.b.c", "abc",
                "topic.jms/topic/x.y", "xy",
                "connectionFactory.jms/cf.main", "tcp://h:1");
        assertEquals(new HeraldQueue("orders"), ctx.lookup("jms/queue/orders"));
        assertEquals(new HeraldQueue("abc"), ctx.lookup("a.b.c"));
        assertEquals(new HeraldTopic("xy"), ctx.lookup("jms/topic/x.y"));
        assertEquals("tcp://h:1", ((HeraldConnectionFactory) ctx.lookup("jms/cf.main")).getBrokerUrl());
        // Only the exact key: no hierarchy.
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("jms/queue"));
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("jms"));
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("b.c"));
    }

    @Test
    void lookupByNameJoinsComponents() throws Exception {
        Context ctx = context("queue.jms/queue/orders", "orders");
        assertEquals(new HeraldQueue("orders"), ctx.lookup(new CompositeName("jms/queue/orders")));
        assertEquals(new HeraldQueue("orders"),
                ctx.lookup(ctx.getNameParser("").parse("jms/queue/orders")));
        assertEquals(1, ctx.getNameParser("").parse("jms/queue/orders").size());
        assertEquals(new HeraldQueue("dyn"), ctx.lookup(new CompositeName("dynamicQueues/dyn")));
    }

    @Test
    void lookupThroughInitialContextWithStringAndName() throws Exception {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, HeraldInitialContextFactory.class.getName());
        env.put("queue.jms/queue/viaInitial", "via.initial");
        InitialContext ctx = new InitialContext(env);
        assertEquals(new HeraldQueue("via.initial"), ctx.lookup("jms/queue/viaInitial"));
        assertEquals(new HeraldQueue("via.initial"), ctx.lookup(new CompositeName("jms/queue/viaInitial")));
        ctx.close();
    }

    @Test
    void dynamicQueuesAndTopics() throws Exception {
        Context ctx = context();
        HeraldQueue q = (HeraldQueue) ctx.lookup("dynamicQueues/orders.new");
        assertEquals("orders.new", q.getQueueName());
        HeraldTopic t = (HeraldTopic) ctx.lookup("dynamicTopics/prices/eu");
        assertEquals("prices/eu", t.getTopicName());
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("dynamicQueues/"));
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("dynamicTopics"));
    }

    @Test
    void boundNameWinsOverDynamic() throws Exception {
        Context ctx = context("topic.dynamicQueues/special", "actually.a.topic");
        assertEquals(new HeraldTopic("actually.a.topic"), ctx.lookup("dynamicQueues/special"));
    }

    @Test
    void unknownNameThrowsNameNotFoundWithTheName() throws Exception {
        Context ctx = context("queue.known", "k");
        NameNotFoundException e = assertThrows(NameNotFoundException.class, () -> ctx.lookup("jms/unknown/thing"));
        assertTrue(e.getMessage().contains("jms/unknown/thing"), e.getMessage());
        e = assertThrows(NameNotFoundException.class, () -> ctx.lookup(new CompositeName("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    // ---- context behaviour ----

    @Test
    void readOnlyOperationsThrow() throws Exception {
        Context ctx = context("queue.q", "q");
        CompositeName n = new CompositeName("x");
        Object o = new HeraldQueue("x");
        assertThrows(OperationNotSupportedException.class, () -> ctx.bind("x", o));
        assertThrows(OperationNotSupportedException.class, () -> ctx.bind(n, o));
        assertThrows(OperationNotSupportedException.class, () -> ctx.rebind("q", o));
        assertThrows(OperationNotSupportedException.class, () -> ctx.rebind(n, o));
        assertThrows(OperationNotSupportedException.class, () -> ctx.unbind("q"));
        assertThrows(OperationNotSupportedException.class, () -> ctx.unbind(n));
        assertThrows(OperationNotSupportedException.class, () -> ctx.rename("q", "r"));
        assertThrows(OperationNotSupportedException.class, () -> ctx.rename(n, new CompositeName("y")));
        assertThrows(OperationNotSupportedException.class, () -> ctx.createSubcontext("sub"));
        assertThrows(OperationNotSupportedException.class, () -> ctx.createSubcontext(n));
        assertThrows(OperationNotSupportedException.class, () -> ctx.destroySubcontext("sub"));
        assertThrows(OperationNotSupportedException.class, () -> ctx.destroySubcontext(n));
        // Nothing changed.
        assertEquals(new HeraldQueue("q"), ctx.lookup("q"));
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("x"));
    }

    @Test
    void readOnlyThroughInitialContext() throws Exception {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, HeraldInitialContextFactory.class.getName());
        InitialContext ctx = new InitialContext(env);
        assertThrows(OperationNotSupportedException.class, () -> ctx.bind("x", "y"));
    }

    @Test
    void listAndListBindingsOfTheRoot() throws Exception {
        Context ctx = context("queue.jms/q", "q1", "topic.t", "t1", "connectionFactory.cf", "tcp://h:1");
        Map<String, String> classes = new HashMap<>();
        NamingEnumeration<NameClassPair> pairs = ctx.list("");
        while (pairs.hasMore()) {
            NameClassPair p = pairs.next();
            classes.put(p.getName(), p.getClassName());
        }
        assertEquals(Map.of(
                "jms/q", HeraldQueue.class.getName(),
                "t", HeraldTopic.class.getName(),
                "cf", HeraldConnectionFactory.class.getName(),
                "ConnectionFactory", HeraldConnectionFactory.class.getName()), classes);

        Map<String, Object> objects = new HashMap<>();
        NamingEnumeration<Binding> bindings = ctx.listBindings(new CompositeName(""));
        while (bindings.hasMoreElements()) {
            Binding b = bindings.nextElement();
            objects.put(b.getName(), b.getObject());
        }
        assertEquals(4, objects.size());
        assertEquals(new HeraldQueue("q1"), objects.get("jms/q"));
        assertEquals(new HeraldTopic("t1"), objects.get("t"));

        assertThrows(NotContextException.class, () -> ctx.list("t"));
        assertThrows(NameNotFoundException.class, () -> ctx.listBindings("missing"));
    }

    @Test
    void emptyNameReturnsANewViewOfTheContext() throws Exception {
        Context ctx = context("queue.q", "q");
        Context view = (Context) ctx.lookup("");
        assertNotSame(ctx, view);
        assertEquals(new HeraldQueue("q"), view.lookup("q"));
        assertInstanceOf(Context.class, ctx.lookup(new CompositeName("")));
    }

    @Test
    void closeIsHarmless() throws Exception {
        Context ctx = context("queue.q", "q");
        ctx.close();
        ctx.close();
        assertEquals(new HeraldQueue("q"), ctx.lookup("q"));
    }

    @Test
    void getEnvironmentReturnsACopy() throws Exception {
        Context ctx = context(Context.PROVIDER_URL, "tcp://h:1", "queue.q", "q");
        Hashtable<?, ?> env = ctx.getEnvironment();
        assertEquals("tcp://h:1", env.get(Context.PROVIDER_URL));
        assertEquals("q", env.get("queue.q"));
        env.clear();
        assertEquals("tcp://h:1", ctx.getEnvironment().get(Context.PROVIDER_URL));
        assertNotSame(ctx.getEnvironment(), ctx.getEnvironment());
    }

    @Test
    void environmentPassedInIsCopied() throws Exception {
        Hashtable<Object, Object> env = new Hashtable<>();
        env.put("queue.q", "q");
        Context ctx = new HeraldInitialContextFactory().getInitialContext(env);
        env.put("queue.q", "changed");
        env.put("queue.other", "o");
        assertEquals(new HeraldQueue("q"), ctx.lookup("q"));
        assertEquals("q", ctx.getEnvironment().get("queue.q"));
        assertThrows(NameNotFoundException.class, () -> ctx.lookup("other"));
    }

    @Test
    void boundObjectsAreSharedBetweenLookups() throws Exception {
        Context ctx = context("queue.q", "q");
        assertSame(ctx.lookup("q"), ctx.lookup("q"));
    }

    @Test
    void composeNameAndNameInNamespace() throws Exception {
        Context ctx = context();
        assertEquals("jms/queue", ctx.composeName("queue", "jms"));
        assertEquals("queue", ctx.composeName("queue", ""));
        assertEquals("", ctx.getNameInNamespace());
    }
}
