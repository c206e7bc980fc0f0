package io.heraldmq.ra;

import io.heraldmq.jms.HeraldMessageConsumer;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.TimerTask;

/**
 * One message-driven bean's activation: a connection, and {@code maxSession} sessions each delivering to an
 * endpoint of its own on a WorkManager thread ({@link DeliveryWorker}).
 * <p>
 * A bean whose {@code onMessage} is transacted gets XA sessions: each delivery is received inside the container's
 * transaction (started by {@code beforeDelivery}, with the session's XAResource enlisted, and ended by
 * {@code afterDelivery}), so a rollback gives the message back to the broker, which redelivers it and, after its
 * destination's delivery limit, moves it to the dead-letter queue. Other beans get CLIENT_ACKNOWLEDGE sessions: a
 * message is acknowledged once {@code onMessage} returned, and recovered (redelivered) when it threw.
 * <p>
 * Reconnection: the provider's failover reconnects a connection for a while by itself; when it gives up (the
 * connection's ExceptionListener, or a worker's JMS call failing), this activation closes everything and sets it up
 * again after 100 ms, doubling to 5 s (or {@code setupIntervalMs}), for {@code setupAttempts} tries (-1 = forever).
 * Each set-up is a generation; a failure reported by an older generation's worker is ignored.
 */
final class HeraldActivation {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldActivation.class);
    private static final long MAX_BACKOFF_MS = 5_000;
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = MessageListener.class.getMethod("onMessage", jakarta.jms.Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HeraldResourceAdapter ra;
    private final MessageEndpointFactory factory;
    private final HeraldActivationSpec spec;
    private final List<DeliveryWorker> workers = new ArrayList<>();
    private Connection connection;
    private int generation;
    private int failedSetups;
    private boolean running;

    HeraldActivation(HeraldResourceAdapter ra, MessageEndpointFactory factory, HeraldActivationSpec spec) {
        this.ra = ra;
        this.factory = factory;
        this.spec = spec;
    }

    synchronized void start() {
        running = true;
        scheduleSetup(0);
    }

    /** Stops delivering: closes the connection and waits for the workers' current deliveries to end. */
    void stop() {
        List<DeliveryWorker> stopping;
        synchronized (this) {
            running = false;
            generation++;
            stopping = teardown();
        }
        for (DeliveryWorker w : stopping) {
            w.awaitEnd();
        }
        LOG.info("HeraldMQ activation stopped: {}", spec.describe());
    }

    private void scheduleSetup(long delayMs) {
        int gen = generation;
        ra.timer().schedule(new TimerTask() {
            @Override
            public void run() {
                try {
                    ra.workManager().scheduleWork((Task) () -> setup(gen));
                } catch (WorkException e) {
                    LOG.warn("cannot schedule the set-up of {}", spec.describe(), e);
                    synchronized (HeraldActivation.this) {
                        retry(gen, e);
                    }
                }
            }
        }, delayMs);
    }

    private synchronized void setup(int gen) {
        if (!running || gen != generation) {
            return;
        }
        try {
            boolean transacted = factory.isDeliveryTransacted(ON_MESSAGE);
            HeraldXAConnectionFactory cf = new HeraldXAConnectionFactory(spec.effectiveUrl());
            XAConnection c = cf.createXAConnection(spec.effectiveUser(), spec.effectivePassword());
            connection = c;
            if (!HeraldActivationSpec.blank(spec.getClientId())) {
                c.setClientID(spec.getClientId());
            }
            c.setExceptionListener(e -> failed(gen, e));
            Destination destination = destination(c);
            int sessions = spec.effectiveSessions();
            for (int i = 0; i < sessions; i++) {
                Session session;
                MessageEndpoint endpoint;
                if (transacted) {
                    XASession xa = c.createXASession();
                    session = xa;
                    endpoint = factory.createEndpoint(new RaXAResource(xa.getXAResource(), ra.completer(spec)));
                } else {
                    session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                    endpoint = factory.createEndpoint(null);
                }
                HeraldMessageConsumer consumer = consumer(session, destination);
                workers.add(new DeliveryWorker(this, gen, session, consumer, endpoint, transacted));
            }
            c.start();
            WorkManager wm = ra.workManager();
            for (DeliveryWorker w : workers) {
                wm.scheduleWork(w, WorkManager.INDEFINITE, null, null);
                w.scheduled();
            }
            if (failedSetups > 0) {
                LOG.info("HeraldMQ activation connected again: {}", spec.describe());
            } else {
                LOG.info("HeraldMQ activation started: {}, {} session(s), {}, broker {}", spec.describe(), sessions,
                        (transacted ? "XA transacted" : "not transacted"), spec.effectiveUrl());
            }
            failedSetups = 0;
        } catch (JMSException | ResourceException | NamingException | NoSuchMethodException | RuntimeException e) {
            teardown().forEach(DeliveryWorker::releaseUnstarted);
            retry(gen, e);
        }
    }

    private Destination destination(Connection c) throws JMSException, NamingException {
        if (!HeraldActivationSpec.blank(spec.getDestinationLookup())) {
            Object o = new InitialContext().lookup(spec.getDestinationLookup());
            if (!(o instanceof Destination d)) {
                throw new NamingException("destinationLookup " + spec.getDestinationLookup()
                        + " is not a jakarta.jms.Destination: " + o);
            }
            return d;
        }
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            return spec.isTopicType() ? s.createTopic(spec.getDestination()) : s.createQueue(spec.getDestination());
        }
    }

    /** The provider's consumer (a session of its connection makes no other), for its wait without receiving. */
    private HeraldMessageConsumer consumer(Session s, Destination d) throws JMSException {
        return (HeraldMessageConsumer) createConsumer(s, d);
    }

    private MessageConsumer createConsumer(Session s, Destination d) throws JMSException {
        String selector = HeraldActivationSpec.blank(spec.getMessageSelector()) ? null : spec.getMessageSelector();
        if (d instanceof Queue || !(d instanceof Topic topic)) {
            return s.createConsumer(d, selector);
        }
        String name = spec.getSubscriptionName();
        boolean shared = Boolean.TRUE.equals(spec.getShareSubscriptions());
        if (spec.isDurable()) {
            return shared ? s.createSharedDurableConsumer(topic, name, selector)
                    : s.createDurableConsumer(topic, name, selector, false);
        }
        return shared ? s.createSharedConsumer(topic, name, selector) : s.createConsumer(topic, selector);
    }

    /** Under this activation's lock: set up again after a backoff, unless out of attempts. */
    private void retry(int gen, Exception cause) {
        if (!running || gen != generation) {
            return;
        }
        failedSetups++;
        int attempts = spec.getSetupAttempts();
        if (attempts >= 0 && failedSetups > attempts) {
            LOG.error("HeraldMQ activation {} gave up after {} attempts to connect to {}", spec.describe(), attempts,
                    spec.effectiveUrl(), cause);
            running = false;
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MS, spec.getSetupIntervalMs() << Math.min(failedSetups - 1, 16));
        if (failedSetups == 1) {
            LOG.warn("HeraldMQ activation {} cannot deliver ({}); connecting again in {} ms", spec.describe(), cause,
                    delay, cause);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("HeraldMQ activation {} cannot deliver ({}); connecting again in {} ms", spec.describe(), cause,
                    delay, cause);
        }
        generation++;
        scheduleSetup(delay);
    }

    /** A worker's JMS call failed, or the connection's failover gave up: set everything up again. */
    void failed(int gen, Exception cause) {
        List<DeliveryWorker> old;
        synchronized (this) {
            if (!running || gen != generation) {
                return;
            }
            old = teardown();
            retry(gen, cause);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("closed {} delivery session(s) of {}", old.size(), spec.describe());
        }
    }

    /** Under this activation's lock: closes the connection (which ends the workers' receives). */
    private List<DeliveryWorker> teardown() {
        List<DeliveryWorker> old = List.copyOf(workers);
        workers.clear();
        old.forEach(DeliveryWorker::stop);
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("closing the connection of {}", spec.describe(), e);
                }
            }
            connection = null;
        }
        return old;
    }

    synchronized boolean isCurrent(int gen) {
        return running && gen == generation;
    }

    String describe() {
        return spec.describe();
    }

    /** A Work that does nothing but run the given code (Work is not a functional interface: it has release()). */
    private interface Task extends Work {
        @Override
        default void release() {
        }
    }
}
