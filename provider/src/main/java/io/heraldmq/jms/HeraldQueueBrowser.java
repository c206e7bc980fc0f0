package io.heraldmq.jms;

import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue browser. Each {@link #getEnumeration()} opens a browse on the broker (a SUBSCRIBE with the BROWSE flag):
 * the broker reads the queue from its oldest unacknowledged message up to the end the queue had at that moment and
 * sends, under credit like a consumer, the messages still in the queue that the selector accepts; an empty DELIVER
 * ends it. Nothing is acknowledged and no delivery count changes. Messages delivered to a consumer but not yet
 * acknowledged are still in the queue and are shown.
 */
public class HeraldQueueBrowser implements QueueBrowser {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldQueueBrowser.class);

    private final HeraldSession session;
    private final HeraldDestination queue;
    private final String selector;
    private final List<Browse> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    HeraldQueueBrowser(HeraldSession session, HeraldDestination queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    private void checkClosed() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the queue browser is closed");
        }
        session.checkClosed();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkClosed();
        return (Queue) queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkClosed();
        return selector;
    }

    @Override
    public Enumeration<Message> getEnumeration() throws JMSException {
        checkClosed();
        Browse b = new Browse(session.connection(), queue, selector);
        open.add(b);
        try {
            b.open();
        } catch (JMSException e) {
            open.remove(b);
            throw e;
        }
        return b;
    }

    /** Ends every enumeration of this browser and frees the broker's side of them. */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        JMSException first = null;
        for (Browse b : open) {
            try {
                b.close(true);
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        session.browserClosed(this);
        if (first != null) {
            throw first;
        }
    }

    /** One enumeration: a browse on the broker, its messages buffered as they arrive. */
    private static final class Browse implements Enumeration<Message>, DeliveryTarget {
        private record Delivery(int partition, long offset, int deliveryCount, Buffer record) {
        }

        private final HeraldConnection connection;
        private final HeraldDestination queue;
        private final String selector;
        private final int credit;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
        private int id;
        private int takenSinceCredit;
        private boolean ended;
        private boolean gone;
        private boolean closed;
        private Message next;

        Browse(HeraldConnection connection, HeraldDestination queue, String selector) {
            this.connection = connection;
            this.queue = queue;
            this.selector = selector;
            this.credit = Math.max(1, connection.factory().getPrefetch());
        }

        void open() throws JMSException {
            id = connection.register(this);
            Subscribe subscribe = new Subscribe(id, queue.kind(), queue.name(), null, Subscribe.FLAG_BROWSE,
                    selector, credit);
            try {
                connection.subscribe(subscribe, false);
            } catch (JMSException e) {
                connection.unregister(id);
                throw e;
            }
        }

        // ---- from the connection's event loop ----

        @Override
        public void enqueue(int partition, long offset, int deliveryCount, Buffer record) {
            signal(() -> buffer.add(new Delivery(partition, offset, deliveryCount, record)));
        }

        @Override
        public void browseEnded() {
            signal(() -> ended = true);
        }

        @Override
        public void brokerGone() {
            signal(() -> gone = true);
        }

        private void signal(Runnable change) {
            lock.lock();
            try {
                change.run();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        // ---- the application's side ----

        @Override
        public boolean hasMoreElements() {
            if (next == null) {
                next = fetch();
            }
            return next != null;
        }

        @Override
        public Message nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException("the browse reached the end of the queue");
            }
            Message m = next;
            next = null;
            return m;
        }

        /** The next message to show, waiting for the broker if need be; null at the end. */
        private Message fetch() {
            while (true) {
                Delivery d;
                lock.lock();
                try {
                    long left = TimeUnit.MILLISECONDS.toNanos(connection.requestTimeoutMs());
                    while (buffer.isEmpty() && !ended && !gone && !closed) {
                        if (left <= 0) {
                            LOG.warn("browse of {}: no answer from the broker in time; ending it", queue);
                            ended = true;
                            break;
                        }
                        left = changed.awaitNanos(left);
                    }
                    d = closed ? null : buffer.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                } finally {
                    lock.unlock();
                }
                if (d == null) {
                    finished();
                    return null;
                }
                returnCredit();
                Message m = toMessage(d);
                if (m != null) {
                    return m;
                }
            }
        }

        private void returnCredit() {
            if (++takenSinceCredit >= Math.max(1, credit / 2)) {
                connection.broker().send(new Credit(id, takenSinceCredit).encode());
                takenSinceCredit = 0;
            }
        }

        /** Decodes a delivery; null if it expired meanwhile or cannot be read (nothing to settle: browsing). */
        private HeraldMessage toMessage(Delivery d) {
            WireMessage wire;
            try {
                wire = WireMessage.decode(RecordBatch.message(d.record));
            } catch (ProtocolException e) {
                LOG.warn("skipping unreadable message at {} partition {} offset {}", queue, d.partition, d.offset, e);
                return null;
            }
            if (wire.expiration != 0 && wire.expiration <= System.currentTimeMillis()) {
                return null;
            }
            // The broker gives the count the next delivery would have; a browsed message shows the deliveries it
            // has had so far (0 if none), as in Artemis: browsing is not a delivery.
            return HeraldMessage.fromWire(wire, d.partition, d.offset, Math.max(0, d.deliveryCount - 1));
        }

        /** At the end the broker has already stopped reading; close its side without waiting. */
        private void finished() {
            try {
                close(false);
            } catch (JMSException e) {
                LOG.debug("closing a finished browse failed", e);
            }
        }

        void close(boolean wait) throws JMSException {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                buffer.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                if (connection.broker().isOpen()) {
                    var closing = connection.broker().request(corr -> new Close(Close.CONSUMER, id).encode(corr));
                    if (wait) {
                        JmsExceptions.await(closing, connection.requestTimeoutMs());
                    }
                }
            } finally {
                connection.unregister(id);
            }
        }
    }
}
