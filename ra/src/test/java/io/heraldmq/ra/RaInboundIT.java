package io.heraldmq.ra;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The inbound half driven the way an application server drives it, against a real broker: the adapter started
 * with a WorkManager and timer, a bean's activation whose endpoints begin a transaction in {@code beforeDelivery}
 * (the session's XAResource started on a new xid) and commit it in {@code afterDelivery}, as a container does.
 * RaPayaraIT runs the same in a real server; this one counts the transactions, which a server does not show.
 */
class RaInboundIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HeraldResourceAdapter ra = new HeraldResourceAdapter();
    /** beforeDelivery calls: the container transactions begun. */
    private final AtomicInteger transactions = new AtomicInteger();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        ra.stop();
        threads.shutdownNow();
    }

    /**
     * An idle transacted session begins no transaction (before, each began an empty one every second); a message
     * begins exactly one, in which it is received and consumed.
     */
    @Test
    void anIdleTransactedBeanBeginsNoTransactionAndEachMessageExactlyOne() throws Exception {
        ra.start(new Bootstrap());
        HeraldActivationSpec spec = new HeraldActivationSpec();
        spec.setDestination("ra.inbound");
        spec.setMaxSession(3);
        spec.setConnectionURL(broker.url());
        spec.setResourceAdapter(ra);
        ra.endpointActivation(new Endpoints(), spec);

        send("first");
        await("the first message delivered").until(() -> received.equals(List.of("first")));
        assertEquals(1, transactions.get(), "one transaction for one message");

        await("no transaction while idle").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> transactions.get() == 1);

        for (int i = 0; i < 20; i++) {
            send("m" + i);
        }
        await("every message delivered").until(() -> received.size() == 21);
        assertEquals(21, transactions.get(), "a transaction per message, none empty");
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession();
            try (QueueBrowser b = s.createBrowser(s.createQueue("ra.inbound"))) {
                assertEquals(List.of(), Collections.list(b.getEnumeration()), "every delivery committed");
            }
        }
    }

    private void send(String body) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession();
            MessageProducer p = s.createProducer(s.createQueue("ra.inbound"));
            p.send(s.createTextMessage(body));
        }
    }

    /** The container's side of a transacted message-driven bean: one transaction per delivery, committed. */
    private final class Endpoints implements MessageEndpointFactory {
        @Override
        public MessageEndpoint createEndpoint(XAResource xa) {
            return new Endpoint(xa);
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xa, long timeout) {
            return new Endpoint(xa);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return true;
        }

        @Override
        public String getActivationName() {
            return "RaInboundIT";
        }

        @Override
        public Class<?> getEndpointClass() {
            return Endpoint.class;
        }
    }

    private final class Endpoint implements MessageEndpoint, MessageListener {
        private final XAResource xa;
        private Xid xid;

        Endpoint(XAResource xa) {
            this.xa = xa;
        }

        @Override
        public void beforeDelivery(Method method) throws jakarta.resource.ResourceException {
            transactions.incrementAndGet();
            xid = TestXids.next("ra-inbound");
            try {
                xa.start(xid, XAResource.TMNOFLAGS);
            } catch (XAException e) {
                throw new jakarta.resource.ResourceException(e);
            }
        }

        @Override
        public void onMessage(Message message) {
            try {
                received.add(((TextMessage) message).getText());
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void afterDelivery() throws jakarta.resource.ResourceException {
            try {
                xa.end(xid, XAResource.TMSUCCESS);
                xa.commit(xid, true);
            } catch (XAException e) {
                throw new jakarta.resource.ResourceException(e);
            }
        }

        @Override
        public void release() {
        }
    }

    /** What the server gives the adapter at start: a WorkManager on a thread pool and a timer. */
    private final class Bootstrap implements BootstrapContext, WorkManager {
        @Override
        public WorkManager getWorkManager() {
            return this;
        }

        @Override
        public XATerminator getXATerminator() {
            return null;
        }

        @Override
        public Timer createTimer() {
            return new Timer("ra-inbound-it", true);
        }

        @Override
        public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
            return false;
        }

        @Override
        public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
            return null;
        }

        @Override
        public void doWork(Work work) {
            work.run();
        }

        @Override
        public void doWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
            work.run();
        }

        @Override
        public long startWork(Work work) {
            threads.execute(work);
            return 0;
        }

        @Override
        public long startWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
            threads.execute(work);
            return 0;
        }

        @Override
        public void scheduleWork(Work work) {
            threads.execute(work);
        }

        @Override
        public void scheduleWork(Work work, long startTimeout, ExecutionContext ec, WorkListener listener) {
            threads.execute(work);
        }
    }
}
