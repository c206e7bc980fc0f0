package io.heraldmq.ra;

import io.heraldmq.jms.HeraldMessageConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.work.Work;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One session of an activation, delivering its consumer's messages to its endpoint, one at a time, on a
 * WorkManager thread until stopped.
 * <p>
 * Transacted delivery (at-least-once, exactly once with the container's two-phase commit): wait until the consumer
 * has a message ({@link HeraldMessageConsumer#awaitMessage}, which takes nothing), then {@code beforeDelivery} (the
 * container begins a transaction and enlists the session's XAResource), {@code receiveNoWait} inside it (the message
 * is held for the branch, not acknowledged), {@code onMessage}, {@code afterDelivery} (the container commits, which
 * consumes the message together with the bean's other work, or rolls back, which gives it back to the broker).
 * Invariant: a message leaves the consumer's buffer only inside a transaction, so waiting outside one neither
 * acknowledges nor loses anything; an idle session begins no transaction. Each session has its own consumer and
 * buffer, so nothing else takes the message between the wait and the receive; should it be gone all the same
 * (expired, or the connection failed over), the receive finds nothing and the transaction is empty, which costs no
 * broker round trip (the branch is read-only).
 * <p>
 * Non-transacted delivery: receive, {@code onMessage}, then acknowledge; a bean that threw gets the message again
 * ({@code recover}), counted, so the destination's delivery limit dead-letters a message that always fails.
 */
final class DeliveryWorker implements Work {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** How long an idle wait or receive lasts; also how long stopping may wait for it to notice. */
    private static final long RECEIVE_TIMEOUT_MS = 1_000;
    private static final long STOP_WAIT_S = 30;

    private final HeraldActivation activation;
    private final int generation;
    private final Session session;
    private final HeraldMessageConsumer consumer;
    private final MessageEndpoint endpoint;
    private final boolean transacted;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean scheduled;
    private volatile boolean started;
    private volatile boolean stopped;

    DeliveryWorker(HeraldActivation activation, int generation, Session session, HeraldMessageConsumer consumer,
                   MessageEndpoint endpoint, boolean transacted) {
        this.activation = activation;
        this.generation = generation;
        this.session = session;
        this.consumer = consumer;
        this.endpoint = endpoint;
        this.transacted = transacted;
    }

    @Override
    public void run() {
        started = true;
        try {
            while (!stopped && activation.isCurrent(generation)) {
                if (transacted) {
                    deliverTransacted();
                } else {
                    deliver();
                }
            }
        } catch (JMSException | ResourceException | NoSuchMethodException | RuntimeException e) {
            if (!stopped) {
                activation.failed(generation, e);
            }
        } finally {
            endpoint.release();
            ended.countDown();
        }
    }

    private void deliverTransacted() throws JMSException, ResourceException, NoSuchMethodException {
        if (!consumer.awaitMessage(RECEIVE_TIMEOUT_MS)) {
            return;
        }
        endpoint.beforeDelivery(HeraldActivation.ON_MESSAGE);
        try {
            Message m = consumer.receiveNoWait();
            if (m != null) {
                try {
                    ((MessageListener) endpoint).onMessage(m);
                } catch (RuntimeException e) {
                    // The container has marked the transaction for rollback: afterDelivery gives the message back.
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("onMessage threw on {}; rolled back", activation.describe(), e);
                    }
                }
            }
        } finally {
            try {
                endpoint.afterDelivery();
            } catch (ResourceException e) {
                if (stopped) {
                    throw e;
                }
                LOG.warn("the transaction of a delivery from {} did not commit; the broker delivers the message again",
                        activation.describe(), e);
            }
        }
    }

    private void deliver() throws JMSException {
        Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
        if (m == null) {
            return;
        }
        try {
            ((MessageListener) endpoint).onMessage(m);
        } catch (RuntimeException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("onMessage threw on {}; delivering it again", activation.describe(), e);
            }
            session.recover();
            return;
        }
        m.acknowledge();
    }

    /** Ends the loop after the current delivery; the activation closes the connection, which ends a receive. */
    @Override
    public void release() {
        stopped = true;
    }

    void stop() {
        stopped = true;
    }

    /** Waits for a started worker's current delivery to end. */
    void awaitEnd() {
        if (!started) {
            return;
        }
        try {
            if (!ended.await(STOP_WAIT_S, TimeUnit.SECONDS)) {
                LOG.warn("a delivery of {} did not end within {} s", activation.describe(), STOP_WAIT_S);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Given to the WorkManager: from now on it releases its endpoint itself when it ends. */
    void scheduled() {
        scheduled = true;
    }

    /** A worker whose set-up failed before it was given to the WorkManager gives its endpoint back. */
    void releaseUnstarted() {
        if (!scheduled) {
            endpoint.release();
        }
    }
}
