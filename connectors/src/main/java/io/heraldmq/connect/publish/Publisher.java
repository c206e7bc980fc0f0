package io.heraldmq.connect.publish;

import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes a source's records PERSISTENT, either with asynchronous sends ({@code send(msg, CompletionListener)}) or
 * in transactions of up to {@code transactedBatch} records (whatever is waiting, so a slow input costs no latency),
 * keeping at most {@code window} records accepted and not yet acknowledged. That window is the source's whole buffer: a full
 * window makes {@link #offer} refuse and {@link #put} wait, which is how backpressure reaches the input.
 * <p>
 * <b>Threads.</b> Sources hand records over from any thread; one sender thread owns the JMS connection, session and
 * producer (a Session is single-threaded) and is the only one that calls JMS, so a provider that blocks in
 * {@code send} blocks it and never a source's event loop. Acknowledgements arrive on the provider's completion
 * thread in send order (JMS 3.1 section 7.3.8), or on the sender thread when a commit returns; each runs the
 * record's {@link OutboundRecord#onAcknowledged}, so
 * a source learns that everything it published up to that record is safe, which is when it may move its checkpoint.
 * <p>
 * <b>Failures.</b> When a send fails (refused, timed out, connection lost) the sender stops, waits for the answers
 * still due (bounded), closes the connection and sends again, in the original order, every record not yet
 * acknowledged, on a new connection, retrying with a back-off of up to 5 s while the broker is away. Records sent
 * after the failed one that the broker did take are therefore sent twice: duplicates are bounded by the window,
 * order is kept, and nothing accepted is given up while the publisher runs.
 */
public final class Publisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
    private static final long MAX_BACKOFF_MS = 5_000;
    /** How long a failed epoch waits for the answers still due before it gives up on them. */
    private static final long ANSWER_WAIT_MS = 10_000;

    private final String name;
    private final ConnectionFactory factory;
    private final int window;
    /** Records per transaction; 0 for asynchronous sends. */
    private final int transactedBatch;
    private final Counters counters;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<OutboundRecord> unsent = new ArrayDeque<>();
    private final ArrayDeque<OutboundRecord> inFlight = new ArrayDeque<>();
    private final List<Runnable> roomWaiters = new ArrayList<>();
    private int epoch;
    private int answersDue;
    private boolean failed;
    private boolean running = true;

    // Sender thread only.
    private final Thread sender;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private final Map<DestinationName, Destination> destinations = new HashMap<>();

    /**
     * @param name            for the thread and log lines (the connector's name)
     * @param window          records accepted and not yet acknowledged, at most
     * @param transactedBatch 0 to send asynchronously, else the most records to send in one transaction
     */
    public Publisher(String name, ConnectionFactory factory, int window, int transactedBatch, Counters counters) {
        this.name = name;
        this.factory = factory;
        this.window = window;
        this.transactedBatch = transactedBatch;
        this.counters = counters;
        this.sender = new Thread(this::sendLoop, "publisher " + name);
        sender.setDaemon(true);
        sender.start();
    }

    /** Takes the record if the window has room; never blocks (for event loops). */
    public boolean offer(OutboundRecord r) {
        lock.lock();
        try {
            checkRunning();
            if (size() >= window) {
                return false;
            }
            unsent.add(r);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes all of the records, in order, or none of them; never blocks. All when the window has room for them, or
     * when it is empty: a batch larger than the window then goes alone (so the window is exceeded by at most one
     * batch, whose size the caller bounds) rather than never. For inputs whose sender retries a refused batch
     * whole, where taking part of one would publish that part twice.
     */
    public boolean offerAll(List<OutboundRecord> records) {
        lock.lock();
        try {
            checkRunning();
            if (size() > 0 && size() + records.size() > window) {
                return false;
            }
            unsent.addAll(records);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The most records accepted and not yet acknowledged. */
    public int window() {
        return window;
    }

    /** Takes the record, waiting while the window is full. */
    public void put(OutboundRecord r) throws InterruptedException {
        lock.lock();
        try {
            checkRunning();
            while (size() >= window) {
                changed.await();
                checkRunning();
            }
            unsent.add(r);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code r} once the window is at most half full (at once, on this thread, if it is already): a paused
     * input resumes with room for a burst rather than for one record at a time.
     */
    public void whenRoom(Runnable r) {
        lock.lock();
        try {
            if (size() > window / 2) {
                roomWaiters.add(r);
                return;
            }
        } finally {
            lock.unlock();
        }
        r.run();
    }

    /** Records accepted and not yet acknowledged. */
    public int pending() {
        lock.lock();
        try {
            return size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every record accepted so far is acknowledged; false if that took longer than {@code timeout}. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (size() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the sender and closes the connection; records not acknowledged by then are abandoned (and logged). */
    @Override
    public void close() {
        lock.lock();
        int abandoned;
        try {
            if (!running) {
                return;
            }
            running = false;
            abandoned = size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandoned > 0) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing with " + abandoned
                    + " records not acknowledged (a file source reads them again from its checkpoint)");
        }
        try {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int size() {
        return unsent.size() + inFlight.size();
    }

    private void checkRunning() {
        if (!running) {
            throw new IllegalStateException(name + ": publisher closed");
        }
    }

    private void sendLoop() {
        long backoffMs = 0;
        try {
            while (true) {
                OutboundRecord r;
                List<OutboundRecord> batch = null;
                int myEpoch;
                lock.lock();
                try {
                    while (running && !failed && unsent.isEmpty()) {
                        changed.await();
                    }
                    if (!running) {
                        break;
                    }
                    if (failed) {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_WAIT_MS);
                        while (running && answersDue > 0 && deadline - System.nanoTime() > 0) {
                            changed.awaitNanos(deadline - System.nanoTime());
                        }
                        requeueInFlight();
                        r = null;
                        myEpoch = epoch;
                    } else if (transactedBatch > 0) {
                        batch = new ArrayList<>(Math.min(transactedBatch, unsent.size()));
                        while (batch.size() < transactedBatch && !unsent.isEmpty()) {
                            batch.add(unsent.poll());
                        }
                        inFlight.addAll(batch);
                        r = batch.get(0);
                        myEpoch = epoch;
                    } else {
                        r = unsent.poll();
                        inFlight.add(r);
                        answersDue++;
                        myEpoch = epoch;
                    }
                } finally {
                    lock.unlock();
                }
                if (r == null) {
                    closeConnection();
                    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
                    pause(backoffMs);
                    continue;
                }
                try {
                    if (batch != null) {
                        sendTransacted(batch, myEpoch);
                    } else {
                        send(r, myEpoch);
                        counters.published.incrementAndGet();
                    }
                    backoffMs = 0;
                } catch (JMSException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, name + ": send failed, reconnecting: " + e);
                    // An asynchronous send that threw will get no answer; a transaction never waits for one.
                    failEpoch(myEpoch, batch == null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /** Puts what was sent and not acknowledged back in front of the queue, in order. Called with the lock held. */
    private void requeueInFlight() {
        counters.retried.addAndGet(inFlight.size());
        while (!inFlight.isEmpty()) {
            unsent.addFirst(inFlight.pollLast());
        }
        epoch++;
        answersDue = 0;
        failed = false;
    }

    private void pause(long ms) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (running && deadline - System.nanoTime() > 0) {
                changed.awaitNanos(deadline - System.nanoTime());
            }
        } finally {
            lock.unlock();
        }
    }

    /** One transaction: every record of the batch, then commit; the broker has them all once commit returns. */
    private void sendTransacted(List<OutboundRecord> batch, int myEpoch) throws JMSException {
        ensureOpen();
        try {
            for (OutboundRecord r : batch) {
                producer.send(destination(r), message(r), DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                        Message.DEFAULT_TIME_TO_LIVE);
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            try {
                session.rollback();
            } catch (JMSException | RuntimeException ignored) {
                // the connection is closed and opened again anyway
            }
            throw e;
        }
        counters.published.addAndGet(batch.size());
        for (OutboundRecord r : batch) {
            acknowledged(r, myEpoch);
        }
    }

    private void send(OutboundRecord r, int myEpoch) throws JMSException {
        ensureOpen();
        producer.send(destination(r), message(r), DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                Message.DEFAULT_TIME_TO_LIVE, new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        acknowledged(r, myEpoch);
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        LOG.log(System.Logger.Level.WARNING, name + ": the broker did not take a message: "
                                + exception);
                        failEpoch(myEpoch, true);
                    }
                });
    }

    private TextMessage message(OutboundRecord r) throws JMSException {
        TextMessage m = session.createTextMessage(r.body());
        for (Map.Entry<String, Object> p : r.properties().entrySet()) {
            m.setObjectProperty(p.getKey(), p.getValue());
        }
        if (r.groupId() != null) {
            m.setStringProperty("JMSXGroupID", r.groupId());
        }
        return m;
    }

    private Destination destination(OutboundRecord r) throws JMSException {
        Destination d = destinations.get(r.destination());
        if (d == null) {
            if (destinations.size() >= 1024) {
                destinations.clear(); // bounded: a template with many values only costs lookups
            }
            d = r.destination().queue() ? session.createQueue(r.destination().name())
                    : session.createTopic(r.destination().name());
            destinations.put(r.destination(), d);
        }
        return d;
    }

    private void acknowledged(OutboundRecord r, int myEpoch) {
        List<Runnable> waiters = List.of();
        lock.lock();
        try {
            if (myEpoch != epoch) {
                return; // the record was requeued, so it is sent again; this answer is about the old copy
            }
            if (transactedBatch == 0) {
                answersDue--;
            }
            if (failed) {
                changed.signalAll();
                return; // a record before this one failed; this one is sent again to keep the order
            }
            if (inFlight.peekFirst() != r) {
                // A provider that answers out of order breaks the checkpoint rule; resend rather than guess.
                LOG.log(System.Logger.Level.WARNING, name + ": acknowledgement out of send order; resending");
                failed = true;
                changed.signalAll();
                return;
            }
            inFlight.pollFirst();
            counters.acknowledged.incrementAndGet();
            if (!roomWaiters.isEmpty() && size() <= window / 2) {
                waiters = new ArrayList<>(roomWaiters);
                roomWaiters.clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        r.onAcknowledged().run();
        for (Runnable w : waiters) {
            w.run();
        }
    }

    /** @param answered whether this ends an answer that {@code answersDue} counted */
    private void failEpoch(int myEpoch, boolean answered) {
        lock.lock();
        try {
            if (myEpoch != epoch) {
                return;
            }
            if (answered) {
                answersDue--;
            }
            failed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() throws JMSException {
        if (connection != null) {
            return;
        }
        Connection c = factory.createConnection();
        try {
            Session s = transactedBatch > 0 ? c.createSession(true, Session.SESSION_TRANSACTED)
                    : c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(null);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection = c;
            session = s;
            producer = p;
        } catch (JMSException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        session = null;
        producer = null;
        destinations.clear();
        if (c != null) {
            closeQuietly(c);
        }
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": closing a failed connection", e);
        }
    }
}
