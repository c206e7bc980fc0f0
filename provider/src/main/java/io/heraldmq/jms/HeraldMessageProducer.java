package io.heraldmq.jms;

import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends messages: stamps the JMS headers, encodes the message once into a record batch and hands it to the
 * connection. A PERSISTENT send returns once the broker has the message on disk; a NON_PERSISTENT send does not wait.
 * A send with a {@link CompletionListener} returns at once; the session calls the listener later, in send order, on
 * its completion thread, and gathers such sends into batches ({@link AsyncSends}). In a transacted session the
 * record goes into the open transaction instead.
 * <p>
 * Idempotent sends: outside transactions every batch carries this producer's identity, a random 63-bit producer id,
 * and a sequence that counts its batches ({@link RecordBatch#ATTR_IDEMPOTENT}). A send whose answer was lost with the
 * connection is written again, the same bytes, once the connection fails over; the broker recognises it and does not
 * store it twice. Synchronous PERSISTENT sends and asynchronous sends (in send order, their CompletionListeners
 * still in order) are repeated that way. A NON_PERSISTENT send without a CompletionListener is not answered, so one
 * in flight when the connection is lost may be lost (as NON_PERSISTENT allows). A JMSProducer sends through its
 * context's one producer, so there the identity is the session's.
 * <p>
 * Creating a producer registers it with the broker (OPEN_PRODUCER, one round trip; refused at the broker's
 * {@code max.producers.per.connection}), closing it says so (CLOSE_PRODUCER, one-way). Sends do not name it.
 */
public class HeraldMessageProducer implements MessageProducer, QueueSender, TopicPublisher {
    /** Message property naming the partition to write to, overriding key hashing and round robin. */
    public static final String PARTITION_PROPERTY = "JMS_HeraldPartition";

    private final HeraldSession session;
    private final HeraldDestination destination;
    private final int producerHandle;
    private volatile boolean closed;
    private boolean disableMessageID;
    private boolean disableTimestamp;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private final SendWindow sendWindow = new SendWindow();
    /**
     * This producer's identity for de-duplication: random, at least 0 (the header's -1 means "none"). Guarded by this.
     */
    private long producerId = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    /** The next batch's sequence. Guarded by this: a sequence is taken and its request made in one step. */
    private int sequence;

    /** Set from the broker's CONNECTED answer when it populates it (see {@code Connected}). */
    static final String USER_ID_PROPERTY = "JMSXUserID";

    HeraldMessageProducer(HeraldSession session, HeraldDestination destination, int producerHandle) {
        this.session = session;
        this.destination = destination;
        this.producerHandle = producerHandle;
    }

    /** This producer's id on its connection, as the broker counts it (OPEN_PRODUCER); not the idempotence id. */
    int producerHandle() {
        return producerHandle;
    }

    private void checkClosed() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        session.checkClosed();
    }

    private void doSend(Destination target, Message message, int mode, int prio, long ttl,
                        CompletionListener completionListener) throws JMSException {
        checkClosed();
        if (message == null) {
            throw new MessageFormatException("message must not be null");
        }
        HeraldDestination d;
        if (destination != null) {
            if (target != null) {
                throw new UnsupportedOperationException("this producer was created with destination " + destination
                        + "; use a producer without one to send elsewhere");
            }
            d = destination;
        } else {
            if (target == null) {
                // Only the send variants without a destination get here (the others refuse null first).
                throw new UnsupportedOperationException("this producer has no destination: name one in send()");
            }
            d = HeraldSession.toHerald(target, false);
        }
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode);
        }
        if (prio < 0 || prio > 9) {
            throw new JMSException("priority must be 0-9, was " + prio);
        }
        HeraldConnection connection = session.connection();
        long now = System.currentTimeMillis();
        message.setJMSDestination(d);
        message.setJMSDeliveryMode(mode);
        message.setJMSPriority(prio);
        message.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        message.setJMSTimestamp(disableTimestamp ? 0 : now);
        message.setJMSMessageID(disableMessageID ? null : connection.nextMessageId());
        message.setJMSDeliveryTime(now + deliveryDelay);

        HeraldMessage herald = message instanceof HeraldMessage h ? h : HeraldMessage.copyOf(message);
        WireMessage wire = herald.toWire();
        wire.originConnection = connection.origin();
        io.heraldmq.protocol.Connected hello = connection.brokerHello();
        if (hello.stampUserId()) {
            // JMSXUserID as the broker will store it (section 3.5.9: set by the provider on send, visible to the
            // producer too): the broker keeps a batch stamped right as it is and rewrites any other.
            if (hello.userId() == null) {
                wire.properties.remove(USER_ID_PROPERTY);
            } else {
                wire.properties.put(USER_ID_PROPERTY, hello.userId());
            }
        }
        Object group = wire.properties.get("JMSXGroupID");
        Object partitionProperty = wire.properties.get(PARTITION_PROPERTY);
        String key = group instanceof String s ? s : null;
        int partition = partitionProperty instanceof Integer p ? p : -1;
        boolean persistent = mode == DeliveryMode.PERSISTENT;
        Buffer encoded = wire.encode();
        int size = RecordBatch.recordBytes(key, encoded);
        if (size > connection.maxMessageBytes()) {
            throw new JMSException("message of " + size + " bytes exceeds the maximum message size of "
                    + connection.maxMessageBytes() + " bytes (broker setting max.message.bytes)");
        }
        TransactedSends transaction = session.transactedSends();
        if (transaction != null) {
            // Buffered until commit; a send in a transaction is complete once it is part of the transaction.
            transaction.add(d, partition, persistent, now, key, encoded);
            if (completionListener != null) {
                session.completeInOrder(CompletableFuture.completedFuture(null), message, completionListener);
            }
            return;
        }
        if (completionListener != null) {
            CompletableFuture<Frame> answer = session.asyncSends().send(this, d, partition, persistent, now, key,
                    encoded, size);
            session.completeInOrder(answer, message, completionListener);
            return;
        }
        // after the session's asynchronous sends gathered so far: a session's sends reach the broker in send order
        session.asyncSends().flush();
        RecordBatch.Builder batch = new RecordBatch.Builder(persistent ? RecordBatch.ATTR_PERSISTENT : 0,
                size + 64);
        batch.add(now, key, encoded);
        // A NON_PERSISTENT send is one-way but for every SendWindow marker, which asks for PRODUCE_ACK so that a
        // refusal reaches the ExceptionListener and the producer is paced.
        boolean oneWay = !persistent;
        boolean marker = oneWay && sendWindow.isMarker(size);
        CompletableFuture<Frame> answer = request(d, partition, batch, !oneWay || marker);
        if (answer == null) {
            return;
        }
        if (persistent) {
            JmsExceptions.await(answer, connection.requestTimeoutMs());
        } else {
            sendWindow.sent(answer, connection::onError, connection.requestTimeoutMs());
        }
    }

    /**
     * Stamps {@code batch} with this producer's identity and next sequence and sends it; the answer, or null for a
     * one-way send ({@code ack} false). Does not block.
     */
    synchronized CompletableFuture<Frame> request(HeraldDestination d, int partition, RecordBatch.Builder batch,
                                                  boolean ack) {
        HeraldConnection connection = session.connection();
        // The broker takes a producer's sequences as only growing per partition (an older one is a duplicate), so
        // the sequence order must be the order the frames go out: one step, under this producer's lock.
        if (sequence == Integer.MAX_VALUE) {
            // 2^31 batches: a new identity rather than a sequence that wraps (the broker would take it for old)
            producerId = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
            sequence = 0;
        }
        Produce produce = new Produce(ack ? Produce.FLAG_ACK : 0, d.kind(), d.name(), partition, -1,
                batch.idempotent(producerId, sequence++).build());
        if (!ack) {
            connection.broker().send(produce.encode(connection.broker().nextCorrelationId()));
            return null;
        }
        return connection.broker().request(produce::encode, true);
    }

    // ---- send variants ----

    @Override
    public void send(Message message) throws JMSException {
        doSend(null, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl) throws JMSException {
        doSend(null, message, mode, prio, ttl, null);
    }

    @Override
    public void send(Destination target, Message message) throws JMSException {
        doSend(requireTarget(target), message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination target, Message message, int mode, int prio, long ttl) throws JMSException {
        doSend(requireTarget(target), message, mode, prio, ttl, null);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        doSend(null, message, deliveryMode, priority, timeToLive, requireListener(completionListener));
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl, CompletionListener completionListener)
            throws JMSException {
        doSend(null, message, mode, prio, ttl, requireListener(completionListener));
    }

    @Override
    public void send(Destination target, Message message, CompletionListener completionListener)
            throws JMSException {
        doSend(requireTarget(target), message, deliveryMode, priority, timeToLive,
                requireListener(completionListener));
    }

    @Override
    public void send(Destination target, Message message, int mode, int prio, long ttl,
                     CompletionListener completionListener) throws JMSException {
        doSend(requireTarget(target), message, mode, prio, ttl, requireListener(completionListener));
    }

    /** A null destination is invalid whether or not the producer has one of its own (as in Artemis and Classic). */
    private Destination requireTarget(Destination target) throws JMSException {
        if (target == null) {
            throw new InvalidDestinationException("destination must not be null");
        }
        return target;
    }

    private static CompletionListener requireListener(CompletionListener l) {
        if (l == null) {
            throw new IllegalArgumentException("completion listener must not be null");
        }
        return l;
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int mode, int prio, long ttl) throws JMSException {
        send((Destination) queue, message, mode, prio, ttl);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int mode, int prio, long ttl) throws JMSException {
        send(message, mode, prio, ttl);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int mode, int prio, long ttl) throws JMSException {
        send(topic, message, mode, prio, ttl);
    }

    // ---- settings ----

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkClosed();
        disableMessageID = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkClosed();
        return disableMessageID;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkClosed();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkClosed();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int mode) throws JMSException {
        checkClosed();
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode);
        }
        deliveryMode = mode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkClosed();
        return deliveryMode;
    }

    @Override
    public void setPriority(int defaultPriority) throws JMSException {
        checkClosed();
        if (defaultPriority < 0 || defaultPriority > 9) {
            throw new JMSException("priority must be 0-9, was " + defaultPriority);
        }
        priority = defaultPriority;
    }

    @Override
    public int getPriority() throws JMSException {
        checkClosed();
        return priority;
    }

    @Override
    public void setTimeToLive(long ttl) throws JMSException {
        checkClosed();
        timeToLive = ttl;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkClosed();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long delay) throws JMSException {
        checkClosed();
        deliveryDelay = delay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkClosed();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkClosed();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        return (Queue) getDestination();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    /** Waits for this session's outstanding asynchronous sends (the specification asks that of close). */
    @Override
    public void close() throws JMSException {
        session.checkNotInCompletionListener("MessageProducer.close");
        session.awaitCompletions();
        closeQuietly();
    }

    /** Close without waiting, for the session's own close (which has waited already). */
    void closeQuietly() {
        if (!closed) {
            closed = true;
            session.producerClosed(this);
        }
    }
}
