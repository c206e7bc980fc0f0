package io.heraldmq.jms;

import io.heraldmq.client.BrokerConnection;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.Credit;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A consumer: the broker pushes up to {@code prefetch} messages ahead into this consumer's buffer (credit-based flow
 * control); {@code receive} takes from the buffer and a listener is fed from it on the session's thread, so pull and
 * push share one mechanism. Records are decoded into messages only when the application takes them, off the
 * connection's event loop. Acknowledgements and new credit are coalesced into few frames.
 */
public class HeraldMessageConsumer implements MessageConsumer, QueueReceiver, TopicSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldMessageConsumer.class);
    /** AUTO/DUPS_OK acks are sent once this many are pending, or as soon as the buffer runs dry. */
    private static final int ACK_BATCH = 64;

    /**
     * @param seen the application already had this message once (recover or rollback put it back in the buffer),
     *             so it must not go back to the broker uncounted
     */
    private record Delivery(int partition, long offset, int deliveryCount, Buffer record, boolean seen,
                            int generation, int move) {
        Delivery again() {
            return new Delivery(partition, offset, deliveryCount + 1, record, true, generation, move);
        }

        /** A recovered delivery still in the buffer, as the application last saw it (for releasing it). */
        Delivery asLastSeen() {
            return new Delivery(partition, offset, deliveryCount - 1, record, true, generation, move);
        }
    }

    private final HeraldSession session;
    private final HeraldConnection connection;
    private final HeraldDestination destination;
    private final String subscriptionName;
    private final byte flags;
    private final String selector;
    private final int prefetch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
    private final AtomicBoolean listenerScheduled = new AtomicBoolean();
    /** Held while the listener handles a message, so that close can wait for it. */
    private final ReentrantLock listenerRunning = new ReentrantLock();
    private final Object ackLock = new Object();
    private final List<Delivery> pendingAcks = new ArrayList<>();
    /** CLIENT_ACKNOWLEDGE and transacted: delivered to the application, not yet acknowledged/committed, in order. */
    private final List<Delivery> unacknowledged = new ArrayList<>();
    /** AUTO/DUPS_OK: the delivery a listener is running for, which recover() from that listener redelivers. */
    private Delivery inListener;
    private boolean inListenerRecovered;
    private int consumedSinceCredit;
    private int id;
    /**
     * How many times the broker this client is connected to moved this consumer to a new leader
     * ({@link #moved}); deliveries of an earlier move are stale. 0 after failover.
     */
    private volatile int move;
    /** The destination's redelivery policy from the broker; null if the broker did not say. */
    private volatile Ok.Redelivery redelivery;
    private volatile MessageListener listener;
    private volatile boolean closed;
    private volatile boolean brokerGone;
    /** Closed by the application while what it received is still part of the session's open transaction. */
    private volatile boolean closeDeferred;
    /** SUBSCRIBE was answered: credit may be sent. */
    private volatile boolean subscribed;
    /** The prefetch credit was granted, in SUBSCRIBE or in a CREDIT once the connection started. */
    private final AtomicBoolean initialCreditSent = new AtomicBoolean();
    /**
     * XA branches that took deliveries of this consumer ({@link #takeForBranch}) and have not ended: until they have,
     * a close keeps the consumer open on the broker (CLOSE would give those deliveries back). Guarded by ackLock.
     */
    private int branchHolds;

    HeraldMessageConsumer(HeraldSession session, HeraldDestination destination, String subscriptionName, byte flags,
                          String selector) {
        this.session = session;
        this.connection = session.connection();
        this.destination = destination;
        this.subscriptionName = subscriptionName;
        this.flags = flags;
        this.selector = selector;
        this.prefetch = connection.factory().getPrefetch();
    }

    void open() throws JMSException {
        id = connection.register(new DeliveryTarget() {
            @Override
            public void enqueue(int partition, long offset, int deliveryCount, Buffer record) {
                HeraldMessageConsumer.this.enqueue(partition, offset, deliveryCount, record);
            }

            @Override
            public void brokerGone() {
                HeraldMessageConsumer.this.brokerGone();
            }

            @Override
            public void connectionInterrupted() {
                // the session tells its consumers (HeraldSession.connectionInterrupted), before this
            }

            @Override
            public void moved(int move) {
                session.consumerMoved(HeraldMessageConsumer.this, move);
            }
        });
        // A consumer of a stopped connection takes no messages ahead: on a queue they would wait in its buffer while
        // a started competing consumer got nothing. Its first credit goes out when the connection starts.
        boolean creditNow = connection.isStarted() && initialCreditSent.compareAndSet(false, true);
        Subscribe subscribe = new Subscribe(id, destination.kind(), destination.name(), subscriptionName, flags,
                selector, creditNow ? prefetch : 0);
        try {
            // Safe to send again on a new socket after failover: a consumer dies with its connection on the broker,
            // so the new connection has no such consumer yet (resubscribe skips one not subscribed yet).
            Frame answer = connection.subscribe(subscribe, true);
            redelivery = Ok.redelivery(answer.body());
        } catch (ProtocolException e) {
            connection.unregister(id);
            throw JmsExceptions.of(e);
        } catch (JMSException e) {
            connection.unregister(id);
            throw e;
        }
        subscribed = true;
        if (connection.isStarted()) {
            grantInitialCredit();
        }
    }

    /** Once, after SUBSCRIBE and once the connection is started (whichever comes last). */
    private void grantInitialCredit() {
        if (subscribed && !closed && initialCreditSent.compareAndSet(false, true)) {
            connection.broker().send(new Credit(id, prefetch).encode());
        }
    }

    private void checkClosed() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkClosed();
    }

    // ---- from the connection's event loop ----

    void enqueue(int partition, long offset, int deliveryCount, Buffer record) {
        if (closeDeferred) {
            // Closed while its transaction is open: what was still on the wire goes straight back, uncounted.
            connection.broker().send(new Ack(id, Ack.RETURNED, new int[]{partition}, new long[]{offset}, null, 0,
                    move).encode(0));
            return;
        }
        lock.lock();
        try {
            // Tagged with the socket's generation and the consumer's move: after failover, or after the broker
            // moved this consumer to a new leader, what came before is void.
            buffer.add(new Delivery(partition, offset, deliveryCount, record, false,
                    connection.broker().generation(), move));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            scheduleListener();
        }
    }

    void brokerGone() {
        brokerGone = true;
        wakeUp();
    }

    // ---- failover ----

    /**
     * Whether a delivery came on a socket that is lost since, or before the broker moved this consumer to a new
     * leader: it must be neither shown, acknowledged nor credited (the broker gives it out again).
     */
    private boolean stale(Delivery d) {
        return d.generation != connection.broker().generation() || d.move != move;
    }

    /** Whether the application has messages of this consumer it has not acknowledged or committed. */
    boolean holdsUnacknowledged() {
        synchronized (ackLock) {
            return !unacknowledged.isEmpty();
        }
    }

    /**
     * The socket was lost: the buffered messages are dropped unseen, the records of unacknowledged ones forgotten,
     * with no acks (the broker gives all of them out again, those the application saw marked redelivered), and the
     * credit count starts over (the new subscription gets the whole prefetch).
     */
    void connectionInterrupted() {
        lock.lock();
        try {
            buffer.clear();
            move = 0; // moves are counted per connection by the broker it is connected to
        } finally {
            lock.unlock();
        }
        synchronized (ackLock) {
            unacknowledged.clear();
            pendingAcks.clear();
            consumedSinceCredit = 0;
        }
    }

    /**
     * The broker this client is connected to relayed this consumer to its destination's leader, lost that leader,
     * and subscribed it again at the new one ({@link io.heraldmq.protocol.ConsumerMoved}); the session has already
     * made its transaction rollback-only if it holds deliveries of this consumer. As after failover, the buffered
     * messages are dropped unseen and the unacknowledged ones forgotten (CLIENT_ACKNOWLEDGE): the new leader gives
     * them out again, marked redelivered. A transaction's unacknowledged deliveries stay, stale, so that a commit
     * being built names them with their old move and is refused. The broker subscribed the consumer again with its
     * first credit (the whole prefetch), so what was consumed before the move is not credited.
     */
    void moved(int newMove) {
        lock.lock();
        try {
            move = newMove;
            buffer.clear();
        } finally {
            lock.unlock();
        }
        synchronized (ackLock) {
            if (session.ackMode() != Session.SESSION_TRANSACTED) {
                unacknowledged.clear();
            }
            // AUTO_ACKNOWLEDGE's pending acks still go: the broker passes one-way ACKs of an earlier move on, and
            // the new leader settling the new copies of what the application had saves redelivering them.
            consumedSinceCredit = 0;
        }
    }

    /** Closed while holding deliveries for its session, and the socket was lost: nothing more to settle. */
    void heldDeliveriesLost() {
        synchronized (ackLock) {
            unacknowledged.clear();
        }
        connection.unregister(id);
        session.consumerClosed(this);
    }

    /**
     * After failover: SUBSCRIBE again on the new socket, same consumer id, subscription name, flags and selector, with
     * the whole prefetch as credit (none while the connection is stopped; starting it grants it as usual). Does not
     * block. A refusal (the destination is gone, a durable subscription is taken by another connection meanwhile)
     * finishes this consumer: its receive calls then throw, and the ExceptionListener is told.
     *
     * @return completes when subscribed or given up; exceptionally only when the new socket was lost too
     */
    CompletableFuture<Void> resubscribe() {
        if (closed || closeDeferred || !subscribed) {
            // not subscribed yet: its own SUBSCRIBE is sent (again) on the new socket
            return CompletableFuture.completedFuture(null);
        }
        int credit = initialCreditSent.get() ? prefetch : 0;
        Subscribe subscribe = new Subscribe(id, destination.kind(), destination.name(), subscriptionName, flags,
                selector, credit);
        return subscribeAgain(subscribe, connection.broker().generation(),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HeraldConnection.SUBSCRIBE_NOT_LEADER_MS));
    }


    /**
     * One SUBSCRIBE after failover. NOT_LEADER (the destination's leader is being elected or restarted, and the broker
     * reached cannot pass the request on yet) is retried in the background until {@code deadline}, as long as no
     * later failover started its own: the consumer waits, as it waited for the reconnect, rather than fail.
     */
    private CompletableFuture<Void> subscribeAgain(Subscribe subscribe, int generation, long deadline) {
        return connection.broker().resumeRequest(subscribe::encode).handle((answer, error) -> {
            if (error == null) {
                redelivery = Ok.redelivery(answer.body());
                if (closed) {
                    // closed by the application while it subscribed again: undo it on the broker too
                    connection.broker().resumeRequest(corr -> new Close(Close.CONSUMER, id).encode(corr));
                }
                return null;
            }
            JMSException e = JmsExceptions.of(error);
            if (e.getCause() instanceof io.heraldmq.client.ConnectionLostException lost) {
                throw new java.util.concurrent.CompletionException(lost);
            }
            if (HeraldConnection.isNotLeader(error) && System.nanoTime() < deadline && !closed) {
                CompletableFuture.delayedExecutor(HeraldConnection.SUBSCRIBE_RETRY_MS, TimeUnit.MILLISECONDS).execute(() -> {
                    if (!closed && connection.broker().generation() == generation) {
                        subscribeAgain(subscribe, generation, deadline);
                    }
                });
                return null;
            }
            LOG.warn("consumer of {} could not subscribe again after failover", destination, e);
            brokerGone();
            connection.consumerLostInFailover(destination, e);
            return null;
        });
    }

    /** The connection started: the consumer may now take messages ahead. */
    void connectionStarted() {
        grantInitialCredit();
        wakeUp();
    }

    /** The connection started or something else changed that waiting receivers should look at. */
    void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            scheduleListener();
        }
    }

    // ---- receive ----

    @Override
    public Message receive() throws JMSException {
        return receive(-1);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return take(timeout <= 0 ? -1 : timeout);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return take(0);
    }

    /**
     * {@code JMSConsumer.receiveBody}: the body of the next message as {@code type}, or null (timeout, closed, no
     * body). A message whose body cannot be returned as {@code type} (plain messages and StreamMessages never can)
     * is a {@link MessageFormatException}; with AUTO/DUPS_OK it is not acknowledged but put back first in line,
     * uncounted, as if this call had not happened; otherwise it counts as received.
     *
     * @param timeoutMs -1 = wait forever, 0 = do not wait
     */
    <T> T receiveBody(Class<T> type, long timeoutMs) throws JMSException {
        if (type == null) {
            throw new MessageFormatException("the body type must not be null");
        }
        Message m = take(timeoutMs, type);
        return m == null ? null : m.getBody(type);
    }

    private static boolean bodyAssignable(HeraldMessage m, Class<?> type) {
        boolean hasBodyType = m instanceof TextMessage || m instanceof BytesMessage || m instanceof MapMessage
                || m instanceof ObjectMessage;
        try {
            return hasBodyType && m.isBodyAssignableTo(type);
        } catch (JMSException e) {
            return false; // an object that cannot be deserialized
        }
    }

    private Message take(long timeoutMs) throws JMSException {
        return take(timeoutMs, null);
    }

    /**
     * @param timeoutMs -1 = wait forever, 0 = do not wait
     * @param bodyType  for receiveBody, the type the body must be assignable to; null for receive
     */
    private Message take(long timeoutMs, Class<?> bodyType) throws JMSException {
        checkReceivable();
        long deadline = deadline(timeoutMs);
        while (true) {
            Delivery d;
            boolean drained;
            lock.lock();
            try {
                if (!awaitDelivery(timeoutMs, deadline)) {
                    return null;
                }
                d = buffer.poll();
                drained = buffer.isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsExceptions.of(e);
            } finally {
                lock.unlock();
            }
            if (stale(d)) {
                continue; // put back by a recover that raced with a failover: the broker gives it out again
            }
            HeraldMessage m = toMessage(d);
            if (m != null) {
                if (bodyType != null && !bodyAssignable(m, bodyType)) {
                    int mode = session.ackMode();
                    if (mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE) {
                        lock.lock();
                        try {
                            buffer.addFirst(d);
                        } finally {
                            lock.unlock();
                        }
                    } else {
                        consumed(d, m, drained);
                    }
                    throw new MessageFormatException("the body of " + m.getClass().getSimpleName()
                            + " cannot be returned as " + bodyType.getName());
                }
                consumed(d, m, drained);
                return m;
            }
        }
    }

    /**
     * Waits until this consumer has a message to give, without taking it: the next {@code receiveNoWait} gets it
     * (unless it expired meanwhile), and waiting neither acknowledges it nor ties it to a transaction. For a receiver
     * that must begin a transaction before it takes a message, and should not begin one while there is none (the
     * resource adapter's transacted delivery).
     *
     * @param timeoutMs the longest wait, in milliseconds; 0 = do not wait
     * @return true if a message is buffered and the connection started; false on timeout, on close, or when the
     *         connection was lost while waiting (the next call then throws)
     * @throws JMSException as {@code receive} would: the consumer is closed or has a message listener, or the
     *                      connection is lost with nothing buffered
     */
    public boolean awaitMessage(long timeoutMs) throws JMSException {
        checkReceivable();
        long wait = Math.max(0, timeoutMs);
        long deadline = deadline(wait);
        lock.lock();
        try {
            return awaitDelivery(wait, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsExceptions.of(e);
        } finally {
            lock.unlock();
        }
    }

    private void checkReceivable() throws JMSException {
        checkClosed();
        if (listener != null) {
            throw new IllegalStateException("this consumer has a message listener; it cannot also receive");
        }
        if (brokerGone && bufferEmpty()) {
            // A receive that was waiting when the connection dropped returns null; a new one says why nothing comes.
            throw new JMSException("the connection to the broker is lost; no more messages can arrive");
        }
    }

    private static long deadline(long timeoutMs) {
        return timeoutMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs) : 0;
    }

    /**
     * Under {@link #lock}: waits until a delivery is buffered and the connection started.
     *
     * @param timeoutMs -1 = wait forever, 0 = do not wait
     * @return false on timeout, on close, or when the broker is gone and nothing is buffered
     */
    private boolean awaitDelivery(long timeoutMs, long deadline) throws InterruptedException {
        while (!closed && !brokerGone && (buffer.isEmpty() || !connection.isStarted())) {
            if (timeoutMs == 0) {
                return false;
            }
            if (timeoutMs < 0) {
                changed.await();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
        }
        return !closed && !buffer.isEmpty();
    }

    private boolean bufferEmpty() {
        lock.lock();
        try {
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Decodes a delivery, or settles it and returns null if it expired or cannot be read. */
    private HeraldMessage toMessage(Delivery d) {
        WireMessage wire;
        try {
            wire = WireMessage.decode(RecordBatch.message(d.record));
        } catch (ProtocolException e) {
            LOG.warn("dropping unreadable message at {} partition {} offset {}", destination, d.partition, d.offset, e);
            settle(List.of(d), Ack.REJECTED, "unreadable message: " + e.getMessage());
            return null;
        }
        if (wire.expiration != 0 && wire.expiration <= System.currentTimeMillis()) {
            settle(List.of(d), Ack.CONSUMED);
            return null;
        }
        return HeraldMessage.fromWire(wire, d.partition, d.offset, d.deliveryCount);
    }

    /** Bookkeeping after the application got a message: acknowledgement per session mode, and credit. */
    private void consumed(Delivery d, HeraldMessage m, boolean bufferDrained) {
        synchronized (ackLock) {
            if (stale(d)) {
                // Taken just before a failover: the broker gives it out again; nothing to acknowledge or credit.
                if (session.ackMode() == Session.CLIENT_ACKNOWLEDGE) {
                    m.setAcknowledgeCallback(session::acknowledgeAll);
                }
                return;
            }
            consumedSinceCredit++;
            if (heldBySession()) {
                unacknowledged.add(d);
                if (session.ackMode() == Session.CLIENT_ACKNOWLEDGE) {
                    m.setAcknowledgeCallback(session::acknowledgeAll);
                }
            } else {
                pendingAcks.add(d);
            }
            flushAcks(bufferDrained);
        }
    }

    /** Sends coalesced acks and credit: when enough piled up, or when the buffer ran dry. Holds ackLock. */
    private void flushAcks(boolean force) {
        BrokerConnection broker = connection.broker();
        if (!pendingAcks.isEmpty() && (force || pendingAcks.size() >= ACK_BATCH)) {
            broker.send(ack(pendingAcks, Ack.CONSUMED).encode(0));
            pendingAcks.clear();
        }
        if (consumedSinceCredit >= Math.max(1, prefetch / 2)) {
            broker.send(new Credit(id, consumedSinceCredit).encode());
            consumedSinceCredit = 0;
        }
    }

    private Ack ack(List<Delivery> deliveries, byte outcome) {
        return ack(deliveries, outcome, null);
    }

    private Ack ack(List<Delivery> deliveries, byte outcome, String reason) {
        int[] partitions = new int[deliveries.size()];
        long[] offsets = new long[deliveries.size()];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = deliveries.get(i).partition;
            offsets[i] = deliveries.get(i).offset;
        }
        int oldestMove = move;
        for (Delivery d : deliveries) {
            oldestMove = Math.min(oldestMove, d.move);
        }
        return new Ack(id, outcome, partitions, offsets, reason, 0, oldestMove);
    }

    private void settle(List<Delivery> deliveries, byte outcome) {
        settle(deliveries, outcome, null);
    }

    /** @param reason why the application could not take them, for the broker's dead letters; or null */
    private void settle(List<Delivery> deliveries, byte outcome, String reason) {
        synchronized (ackLock) {
            Ack a = ack(deliveries, outcome, reason);
            if (outcome == Ack.RELEASED && deliveries.size() == 1) {
                // Tell the count the application saw: a local redelivery (recover) may have passed the broker by.
                a = new Ack(id, outcome, a.partitions(), a.offsets(), reason, deliveries.get(0).deliveryCount,
                        a.move());
            }
            connection.broker().send(a.encode(0));
            consumedSinceCredit += deliveries.size();
            flushAcks(false);
        }
    }

    /**
     * Gives deliveries the application has seen (each with the count it saw) back to the broker, counted. The ACK
     * tells the broker that count, since local redeliveries (recover, rollback) passed it by; so deliveries are
     * grouped by it. Holds ackLock.
     */
    private void release(List<Delivery> deliveries) {
        Map<Integer, List<Delivery>> bySeen = new TreeMap<>();
        for (Delivery d : deliveries) {
            bySeen.computeIfAbsent(d.deliveryCount, k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<Integer, List<Delivery>> e : bySeen.entrySet()) {
            Ack a = ack(e.getValue(), Ack.RELEASED);
            connection.broker().send(new Ack(id, Ack.RELEASED, a.partitions(), a.offsets(), null, e.getKey(), a.move())
                    .encode(0));
        }
    }

    /**
     * Whether a recovered or rolled back delivery goes back to the broker rather than to the front of the buffer:
     * when it has had all its deliveries (the broker dead-letters it) or its destination wants redeliveries
     * delayed (the messages behind it go first meanwhile, as with any delayed redelivery).
     */
    private boolean redeliveredByBroker(Delivery d) {
        Ok.Redelivery r = redelivery;
        return r != null && (r.redeliveryDelayMs() > 0
                || r.maxDeliveryAttempts() > 0 && d.deliveryCount + 1 > r.maxDeliveryAttempts());
    }

    /** Whether delivered messages stay unacknowledged until the session acknowledges or commits. */
    private boolean heldBySession() {
        int mode = session.ackMode();
        return mode == Session.CLIENT_ACKNOWLEDGE || mode == Session.SESSION_TRANSACTED;
    }

    /**
     * CLIENT_ACKNOWLEDGE and commit: settles every message this consumer delivered.
     *
     * @return completes when the broker has applied it, or null if there was nothing to settle
     */
    CompletableFuture<Frame> acknowledgeDelivered() {
        Ack ack;
        synchronized (ackLock) {
            if (unacknowledged.isEmpty()) {
                return null;
            }
            ack = ack(unacknowledged, Ack.CONSUMED);
            unacknowledged.clear();
        }
        return connection.broker().request(ack::encode);
    }

    /**
     * Commit: the deliveries the open transaction consumed, to settle in its COMMIT, or null if none. They stay
     * unacknowledged until {@link #transactionCommitted}, so a failed commit redelivers them.
     */
    Ack transactionAck() {
        synchronized (ackLock) {
            return unacknowledged.isEmpty() ? null : ack(unacknowledged, Ack.CONSUMED);
        }
    }

    /** The commit settled the first {@code count} unacknowledged deliveries (those {@link #transactionAck} gave). */
    void transactionCommitted(int count) {
        if (count == 0) {
            return;
        }
        synchronized (ackLock) {
            unacknowledged.subList(0, Math.min(count, unacknowledged.size())).clear();
        }
    }

    /**
     * Recover and rollback: the unacknowledged messages go back to the front of this consumer's buffer, oldest first,
     * with their delivery count raised, so they come again before anything buffered or still on the wire. Doing it
     * here rather than releasing them to the broker keeps that order even for deliveries in flight on the socket;
     * the broker still holds them in flight for this consumer, and a close releases them (counted). Messages the
     * broker must handle itself are released to it instead: those past their destination's max delivery attempts
     * (it dead-letters them) and, on destinations with a redelivery delay, all of them (they come back after it).
     */
    void redeliverUnacknowledged() {
        List<Delivery> back = new ArrayList<>();
        synchronized (ackLock) {
            List<Delivery> candidates = new ArrayList<>(unacknowledged);
            unacknowledged.clear();
            if (inListener != null) {
                inListenerRecovered = true;
                if (!stale(inListener)) {
                    candidates.add(inListener);
                    consumedSinceCredit++; // not counted yet: counted now like the others
                }
            }
            List<Delivery> toBroker = new ArrayList<>();
            for (Delivery d : candidates) {
                if (stale(d)) {
                    continue; // of a lost socket or an earlier move: the broker gives it out again
                }
                if (redeliveredByBroker(d)) {
                    toBroker.add(d); // done with here: its credit goes back to the broker
                } else {
                    back.add(d);
                    // Counted once for credit when consumed; it will be again when consumed anew.
                    consumedSinceCredit--;
                }
            }
            if (!toBroker.isEmpty()) {
                release(toBroker);
                flushAcks(false);
            }
        }
        if (back.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (int i = back.size() - 1; i >= 0; i--) {
                buffer.addFirst(back.get(i).again());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            scheduleListener();
        }
    }

    // ---- listener ----

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkClosed();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener l) throws JMSException {
        checkClosed();
        listener = l;
        if (l != null) {
            scheduleListener();
        }
    }

    private void scheduleListener() {
        if (closed || !connection.isStarted()) {
            return;
        }
        if (listenerScheduled.compareAndSet(false, true)) {
            try {
                session.listenerThread().execute(this::runListener);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                listenerScheduled.set(false);
            }
        }
    }

    /** Feeds buffered messages to the listener, on the session's thread. */
    private void runListener() {
        try {
            while (true) {
                MessageListener l = listener;
                if (l == null || closed || !connection.isStarted()) {
                    return;
                }
                Delivery d;
                boolean drained;
                lock.lock();
                try {
                    d = buffer.poll();
                    drained = buffer.isEmpty();
                } finally {
                    lock.unlock();
                }
                if (d == null) {
                    return;
                }
                if (stale(d)) {
                    continue;
                }
                HeraldMessage m = toMessage(d);
                if (m == null) {
                    continue;
                }
                boolean held = heldBySession();
                if (held) {
                    // Before onMessage, so that acknowledge, recover or rollback inside the listener include it.
                    consumed(d, m, drained);
                } else {
                    synchronized (ackLock) {
                        inListener = d;
                        inListenerRecovered = false;
                    }
                }
                listenerRunning.lock();
                try {
                    if (closed) {
                        return; // closed since the check above; the broker takes the delivery back at CLOSE
                    }
                    try {
                        l.onMessage(m);
                    } catch (RuntimeException e) {
                        // The specification: with AUTO/DUPS_OK the message is redelivered at once.
                        LOG.warn("message listener threw; the message will be redelivered", e);
                        if (!held && !endListener()) {
                            redeliverAtOnce(d, "listener threw " + e);
                        }
                        continue;
                    }
                    if (!held && !endListener()) {
                        consumed(d, m, drained);
                    }
                } finally {
                    listenerRunning.unlock();
                }
            }
        } finally {
            listenerScheduled.set(false);
            boolean more;
            lock.lock();
            try {
                more = !buffer.isEmpty();
            } finally {
                lock.unlock();
            }
            if (more && listener != null && !closed && connection.isStarted()) {
                scheduleListener();
            }
        }
    }

    /**
     * AUTO/DUPS_OK, a listener threw: the message comes again before any other (JMS 8.7, "immediately redelivered";
     * Artemis and Classic do the same), marked redelivered, unless the broker must handle it (dead letter, delay).
     */
    private void redeliverAtOnce(Delivery d, String reason) {
        if (redeliveredByBroker(d)) {
            settle(List.of(d), Ack.RELEASED, reason);
            return;
        }
        lock.lock();
        try {
            buffer.addFirst(d.again());
        } finally {
            lock.unlock();
        }
    }

    /** @return whether recover() redelivered the message the listener just had */
    private boolean endListener() {
        synchronized (ackLock) {
            inListener = null;
            return inListenerRecovered;
        }
    }

    // ---- close ----

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        if ((session.closedConsumerHoldsDeliveries() || heldByBranches()) && connection.broker().isOpen()
                && holdForSession()) {
            return;
        }
        List<Delivery> seenInBuffer = new ArrayList<>();
        lock.lock();
        try {
            for (Delivery d : buffer) {
                if (d.seen) {
                    seenInBuffer.add(d.asLastSeen());
                }
            }
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // A running listener of this consumer finishes (and its message is settled) before close goes on. Called
        // from that listener, the lock is already ours and close returns while onMessage goes on, as the spec says.
        listenerRunning.lock();
        listenerRunning.unlock();
        try {
            if (connection.broker().isOpen()) {
                synchronized (ackLock) {
                    if (!pendingAcks.isEmpty()) {
                        connection.broker().send(ack(pendingAcks, Ack.CONSUMED).encode(0));
                        pendingAcks.clear();
                    }
                    unacknowledged.addAll(seenInBuffer);
                    if (!unacknowledged.isEmpty()) {
                        // Seen by the application, never acknowledged: redelivered later, and counted.
                        release(unacknowledged);
                        unacknowledged.clear();
                    }
                }
                // Buffered deliveries the application never saw go back uncounted when the broker closes us.
                JmsExceptions.await(connection.broker().request(corr -> new Close(Close.CONSUMER, id).encode(corr)),
                        connection.requestTimeoutMs());
            }
        } finally {
            connection.unregister(id);
            session.consumerClosed(this);
        }
    }

    /**
     * A consumer closed in a transacted or CLIENT_ACKNOWLEDGE session: what it received stays the session's (commit or
     * acknowledge settles it, rollback or recover gives it back), so the broker-side consumer lives on until then,
     * without credit renewals; the buffer goes back to the broker now.
     *
     * @return false if the session holds nothing of this consumer, so it can close at once
     */
    private boolean holdForSession() {
        List<Delivery> unseen = new ArrayList<>();
        List<Delivery> rolledBack = new ArrayList<>();
        synchronized (ackLock) {
            if (unacknowledged.isEmpty() && branchHolds == 0) {
                return false;
            }
            closeDeferred = true;
            lock.lock();
            try {
                for (Delivery d : buffer) {
                    if (d.seen) {
                        rolledBack.add(d.asLastSeen());
                    } else {
                        unseen.add(d);
                    }
                }
                buffer.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (!unseen.isEmpty()) {
                connection.broker().send(ack(unseen, Ack.RETURNED).encode(0));
            }
            if (!rolledBack.isEmpty()) {
                release(rolledBack);
            }
            if (unacknowledged.isEmpty()) {
                // held by XA branches only: no longer the session's; the last branch to end closes it
                session.consumerClosed(this);
                return true;
            }
        }
        session.consumerClosedHoldingDeliveries(this);
        return true;
    }

    /**
     * The transaction (or CLIENT_ACKNOWLEDGE acknowledge or recover) that held this closed consumer ended: on commit
     * its messages were acknowledged with the rest of the session's; otherwise they go back to the broker, counted.
     * Then the broker-side consumer closes.
     */
    void heldDeliveriesSettled(boolean committed) {
        try {
            if (connection.broker().isOpen()) {
                synchronized (ackLock) {
                    if (!committed && !unacknowledged.isEmpty()) {
                        release(unacknowledged);
                    }
                    unacknowledged.clear();
                    if (branchHolds > 0) {
                        return; // an XA branch still holds deliveries of it: the last to end closes it
                    }
                }
                connection.broker().request(corr -> new Close(Close.CONSUMER, id).encode(corr))
                        .whenComplete((frame, error) -> connection.unregister(id));
            } else {
                connection.unregister(id);
            }
        } finally {
            session.consumerClosed(this);
        }
    }

    // ---- XA branches ----

    private boolean heldByBranches() {
        synchronized (ackLock) {
            return branchHolds > 0;
        }
    }

    /**
     * XA end: the deliveries the application took while the session was associated with a branch leave this
     * consumer's unacknowledged ones and become the branch's; the broker still has them in flight to this consumer.
     *
     * @return them, or null if there are none
     */
    BranchPart takeForBranch() {
        synchronized (ackLock) {
            if (unacknowledged.isEmpty()) {
                return null;
            }
            List<Delivery> taken = new ArrayList<>(unacknowledged);
            unacknowledged.clear();
            branchHolds++;
            return new BranchPart(taken);
        }
    }

    /** The deliveries one XA branch consumed through this consumer. */
    final class BranchPart {
        private final List<Delivery> deliveries;
        private boolean ended;

        private BranchPart(List<Delivery> deliveries) {
            this.deliveries = deliveries;
        }

        /** Adds the entries XA_PREPARE or a one-phase XA_COMMIT carries. */
        void addTo(List<io.heraldmq.protocol.Commit.Consumed> out) {
            for (Delivery d : deliveries) {
                out.add(new io.heraldmq.protocol.Commit.Consumed(id, d.partition, d.offset));
            }
        }

        /** Whether a delivery came on a socket that is lost since: the broker gave it out again. */
        boolean stale() {
            for (Delivery d : deliveries) {
                if (HeraldMessageConsumer.this.stale(d)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The branch ended, prepared or committed ({@code release} false: the broker has the deliveries now) or
         * rolled back before the broker saw it ({@code release}: they go back, counted). A consumer closed meanwhile
         * closes on the broker once no branch holds deliveries of it.
         */
        void ended(boolean release) {
            boolean closeNow;
            synchronized (ackLock) {
                if (ended) {
                    return;
                }
                ended = true;
                if (release && connection.broker().isOpen()) {
                    List<Delivery> live = new ArrayList<>();
                    for (Delivery d : deliveries) {
                        if (!HeraldMessageConsumer.this.stale(d)) {
                            live.add(d);
                        }
                    }
                    if (!live.isEmpty()) {
                        release(live);
                    }
                }
                branchHolds--;
                closeNow = closeDeferred && branchHolds == 0 && unacknowledged.isEmpty();
            }
            if (closeNow) {
                heldDeliveriesSettled(true);
            }
        }
    }

    // ---- accessors ----

    HeraldDestination destination() {
        return destination;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkClosed();
        return selector;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkClosed();
        return (Queue) destination;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkClosed();
        return (Topic) destination;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkClosed();
        return (flags & Subscribe.FLAG_NO_LOCAL) != 0;
    }
}
