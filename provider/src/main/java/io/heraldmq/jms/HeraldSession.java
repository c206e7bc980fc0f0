package io.heraldmq.jms;

import io.heraldmq.jms.message.HeraldBytesMessage;
import io.heraldmq.jms.message.HeraldMapMessage;
import io.heraldmq.jms.message.HeraldMessage;
import io.heraldmq.jms.message.HeraldObjectMessage;
import io.heraldmq.jms.message.HeraldStreamMessage;
import io.heraldmq.jms.message.HeraldTextMessage;
import io.heraldmq.client.BrokerErrorException;
import io.heraldmq.client.ConnectionLostException;
import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Commit;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.Subscribe;
import io.heraldmq.selector.Selector;
import io.heraldmq.selector.SelectorParseException;
import io.heraldmq.protocol.Unsubscribe;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionRolledBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMS session: creates producers, consumers and messages, and owns the thread that runs its consumers' message
 * listeners (JMS sessions are single-threaded, so one thread per session serialises them) and the thread that runs
 * its asynchronous sends' CompletionListeners. A transacted session buffers its sends (see {@link TransactedSends})
 * and keeps what it received unacknowledged until commit; rollback and recover redeliver client-side, see
 * {@link HeraldMessageConsumer#redeliverUnacknowledged()}.
 */
public class HeraldSession implements Session, QueueSession, TopicSession {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldSession.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HeraldConnection connection;
    private final int acknowledgeMode;
    private final List<HeraldMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<HeraldMessageProducer> producers = new CopyOnWriteArrayList<>();
    /**
     * Consumers closed while their deliveries were not yet acknowledged or committed (transacted and
     * CLIENT_ACKNOWLEDGE): commit or acknowledge still settles those deliveries, rollback or recover gives them back.
     */
    private final List<HeraldMessageConsumer> closedHoldingDeliveries = new CopyOnWriteArrayList<>();
    private final List<HeraldQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    private volatile ExecutorService listenerThread;
    private volatile Thread listenerThreadItself;
    private volatile boolean closed;
    /** Set when close begins: consumers closed by it do not wait for the transaction close rolls back. */
    private volatile boolean closing;
    private MessageListener sessionListener;
    /** The open transaction's sends; null unless transacted. */
    private final TransactedSends transactedSends;
    private final AsyncSends asyncSends = new AsyncSends();
    private final Object completionLock = new Object();
    /** Completes after the CompletionListener of the latest asynchronous send has run. Guarded by completionLock. */
    private CompletableFuture<Void> completions = CompletableFuture.completedFuture(null);
    private ExecutorService completionThread;
    private volatile Thread completionThreadItself;
    /**
     * Failover: the connection was lost while the open transaction had sends or received messages; its next commit
     * throws TransactionRolledBackException (the broker dropped the received messages' deliveries, which it gives out
     * again, and the sends could not be kept apart from a new transaction's).
     */
    private volatile boolean rollbackOnly;
    /** A commit is waiting for the broker: a loss now is that commit's to report (in doubt), not the next one's. */
    private volatile boolean committing;
    /** Set for a QueueSession or TopicSession, whose methods of the other domain throw IllegalStateException. */
    private Domain domain = Domain.ANY;

    /** This session's id on its connection (OPEN_SESSION), for the broker's count of sessions. */
    private final int sessionId;

    /** The messaging domain a session was created for (see the QueueSession and TopicSession Javadoc). */
    enum Domain { ANY, QUEUE, TOPIC }

    HeraldSession(HeraldConnection connection, int acknowledgeMode) {
        this.connection = connection;
        this.sessionId = connection.nextSessionId();
        this.acknowledgeMode = acknowledgeMode;
        this.transactedSends = acknowledgeMode == SESSION_TRANSACTED
                ? new TransactedSends(connection.maxMessageBytes()) : null;
    }

    void restrictTo(Domain d) {
        domain = d;
    }

    /** A QueueSession refuses topic-only methods and a TopicSession queue-only ones. */
    private void checkDomain(Domain allowed, String method) throws IllegalStateException {
        if (domain != Domain.ANY && domain != allowed) {
            throw new IllegalStateException(method + " is not allowed on a "
                    + (domain == Domain.QUEUE ? "QueueSession" : "TopicSession"));
        }
    }

    HeraldConnection connection() {
        return connection;
    }

    void checkClosed() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkClosed();
    }

    /** The listener thread, created when the first listener is set. */
    ExecutorService listenerThread() {
        ExecutorService e = listenerThread;
        if (e == null) {
            synchronized (this) {
                e = listenerThread;
                if (e == null) {
                    e = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "heraldmq-session-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        listenerThreadItself = t;
                        return t;
                    });
                    listenerThread = e;
                }
            }
        }
        return e;
    }

    boolean onListenerThread() {
        return Thread.currentThread() == listenerThreadItself;
    }

    /**
     * Returns once no message listener of this session is running: a listener that had started finishes first.
     * Delivery must already be paused (connection stopped or consumer closed). Called from the session's own
     * listener thread it returns at once, since waiting for itself would never end.
     */
    void awaitListenersIdle() {
        ExecutorService e = listenerThread;
        if (e == null || onListenerThread()) {
            return;
        }
        try {
            // The thread runs one task at a time: this one runs after the listener that is running has returned.
            e.submit(() -> { }).get();
        } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.ExecutionException ignored) {
            // shut down: the session is closing and waits for its thread itself
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    void connectionStarted() {
        for (HeraldMessageConsumer c : consumers) {
            c.connectionStarted();
        }
    }

    boolean hasConsumerOn(HeraldDestination destination) {
        for (HeraldMessageConsumer c : consumers) {
            if (destination.equals(c.destination())) {
                return true;
            }
        }
        return false;
    }

    void consumerClosed(HeraldMessageConsumer c) {
        consumers.remove(c);
        closedHoldingDeliveries.remove(c);
    }

    /** The consumer is closed but its messages stay the session's until commit/acknowledge or rollback/recover. */
    void consumerClosedHoldingDeliveries(HeraldMessageConsumer c) {
        closedHoldingDeliveries.add(c);
        consumers.remove(c);
    }

    /**
     * Ends the hold of consumers closed with unsettled deliveries: after commit or acknowledge ({@code committed}) they
     * close; after rollback, recover or session close their deliveries go back first.
     */
    private void settleClosedConsumers(boolean committed) {
        for (HeraldMessageConsumer c : closedHoldingDeliveries) {
            c.heldDeliveriesSettled(committed);
        }
        closedHoldingDeliveries.clear();
    }

    // ---- failover ----

    /**
     * The connection lost its socket and reconnects. Called on the connection's event loop before the requests that
     * waited on the lost socket fail. Every delivery of the lost socket is void: consumers drop their buffers and
     * their records of unacknowledged messages (acknowledge() after failover acknowledges nothing and does not throw;
     * the broker gives those messages again, marked redelivered); consumers closed while holding deliveries for the
     * session are finished; an open transaction that did anything becomes rollback-only.
     */
    /**
     * The broker moved one of this session's consumers to a new leader ({@link HeraldMessageConsumer#moved}). On the
     * connection's event loop. An open transaction holding deliveries of it becomes rollback-only, as after failover:
     * the new leader gives those messages out again. A commit already under way is decided by the broker instead (it
     * refuses one naming the old move).
     */
    void consumerMoved(HeraldMessageConsumer consumer, int move) {
        if (transactedSends != null && !committing && consumer.holdsUnacknowledged()) {
            rollbackOnly = true;
        }
        consumer.moved(move);
    }

    void connectionInterrupted() {
        if (transactedSends != null && !committing) {
            boolean received = false;
            for (HeraldMessageConsumer c : consumers) {
                received |= c.holdsUnacknowledged();
            }
            received |= !closedHoldingDeliveries.isEmpty();
            if (received || !transactedSends.isEmpty()) {
                rollbackOnly = true;
            }
        }
        for (HeraldMessageConsumer c : consumers) {
            c.connectionInterrupted();
        }
        for (HeraldMessageConsumer c : closedHoldingDeliveries) {
            c.heldDeliveriesLost();
        }
        closedHoldingDeliveries.clear();
    }

    /**
     * The connection has a new socket: every open consumer subscribes again. Called on the connection's event loop;
     * does not block.
     *
     * @return one future per consumer; each completes when it is subscribed or given up (never exceptionally but for
     *         a lost socket)
     */
    List<CompletableFuture<Void>> resubscribe() {
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (HeraldMessageConsumer c : consumers) {
            out.add(c.resubscribe());
        }
        return out;
    }

    void producerClosed(HeraldMessageProducer p) {
        producers.remove(p);
        connection.closeProducer(p.producerHandle());
    }

    /** The broker-side ids of this session's open producers, opened again after failover. */
    int sessionId() {
        return sessionId;
    }

    List<Integer> producerIds() {
        List<Integer> ids = new ArrayList<>(producers.size());
        for (HeraldMessageProducer p : producers) {
            ids.add(p.producerHandle());
        }
        return ids;
    }

    void browserClosed(HeraldQueueBrowser b) {
        browsers.remove(b);
    }

    /**
     * CLIENT_ACKNOWLEDGE, and commit: acknowledges every message this session's consumers have delivered, and waits
     * for the broker's answers (it answers once the acks are on their way to the partitions; positions reach the
     * metadata store in batches).
     */
    void acknowledgeAll() throws JMSException {
        checkClosed();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        List<HeraldMessageConsumer> all = new ArrayList<>(consumers);
        all.addAll(closedHoldingDeliveries);
        for (HeraldMessageConsumer c : all) {
            CompletableFuture<?> f = c.acknowledgeDelivered();
            if (f != null) {
                acks.add(f);
            }
        }
        try {
            JmsExceptions.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)),
                    connection.requestTimeoutMs());
        } catch (JMSException e) {
            // Failover: an ack lost with its socket is not an error the application can act on. If the broker did
            // not apply it, the messages come again, marked redelivered, as any unacknowledged message after a
            // failure may.
            if (!(e.getCause() instanceof ConnectionLostException)) {
                throw e;
            }
        }
        if (!isTransacted()) {
            settleClosedConsumers(true);
        }
    }

    // ---- transactions and asynchronous send completions ----

    /** Whether sends are buffered and receives held for a transaction now (an XA session: while in a branch). */
    boolean isTransacted() {
        return transactedSends != null;
    }

    /**
     * XA end: what this session's consumers (open, or closed while holding deliveries) delivered and nobody
     * acknowledged becomes the branch's; consumers closed meanwhile are then no longer the session's to settle.
     */
    List<HeraldMessageConsumer.BranchPart> takeForBranch() {
        List<HeraldMessageConsumer.BranchPart> parts = new ArrayList<>();
        for (HeraldMessageConsumer c : consumers) {
            HeraldMessageConsumer.BranchPart part = c.takeForBranch();
            if (part != null) {
                parts.add(part);
            }
        }
        List<HeraldMessageConsumer> closedOnes = new ArrayList<>(closedHoldingDeliveries);
        closedHoldingDeliveries.clear();
        for (HeraldMessageConsumer c : closedOnes) {
            HeraldMessageConsumer.BranchPart part = c.takeForBranch();
            if (part != null) {
                parts.add(part); // the consumer closes on the broker when the branch ends
            } else {
                c.heldDeliveriesSettled(true);
            }
        }
        return parts;
    }

    /** Whether a consumer of this session holds delivered messages nobody acknowledged or committed yet. */
    boolean holdsUnacknowledged() {
        for (HeraldMessageConsumer c : consumers) {
            if (c.holdsUnacknowledged()) {
                return true;
            }
        }
        return !closedHoldingDeliveries.isEmpty();
    }

    /**
     * Whether a consumer closing now keeps what it received for the session to settle: in a transaction (commit
     * acknowledges it) and in CLIENT_ACKNOWLEDGE (a message's acknowledge() after its consumer closed acknowledges it,
     * as in Artemis; the specification lets acknowledge cover every message the session consumed).
     */
    boolean closedConsumerHoldsDeliveries() {
        return (isTransacted() || acknowledgeMode == CLIENT_ACKNOWLEDGE) && !closing;
    }

    AsyncSends asyncSends() {
        return asyncSends;
    }

    TransactedSends transactedSends() {
        return transactedSends;
    }

    /**
     * Calls {@code listener} once {@code sent} completes, on this session's completion thread and after the
     * listeners of every earlier asynchronous send of this session (the specification asks for send order).
     */
    void completeInOrder(CompletableFuture<?> sent, Message message, CompletionListener listener) {
        CompletableFuture<?> bounded = sent.orTimeout(connection.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        synchronized (completionLock) {
            ExecutorService thread = completionThread();
            completions = completions
                    .thenCompose(v -> bounded.handle((r, error) -> Optional.ofNullable(error)))
                    .thenAcceptAsync(error -> {
                        try {
                            if (error.isEmpty()) {
                                listener.onCompletion(message);
                            } else {
                                listener.onException(message, JmsExceptions.of(error.get()));
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("a CompletionListener threw", e);
                        }
                    }, thread)
                    .exceptionally(e -> null);
        }
    }

    private ExecutorService completionThread() {
        if (completionThread == null) {
            completionThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "heraldmq-completion-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                completionThreadItself = t;
                return t;
            });
        }
        return completionThread;
    }

    boolean onCompletionThread() {
        return Thread.currentThread() == completionThreadItself;
    }

    /** The specification forbids close, commit and rollback from a CompletionListener: they would wait for it. */
    void checkNotInCompletionListener(String operation) throws IllegalStateException {
        if (connection.onAnyCompletionThread()) {
            throw new IllegalStateException(operation + " may not be called from a CompletionListener");
        }
    }

    /** Waits until every asynchronous send of this session so far has had its CompletionListener called. */
    void awaitCompletions() throws JMSException {
        CompletableFuture<Void> last;
        synchronized (completionLock) {
            last = completions;
        }
        // Each send is bounded by the request timeout; the chain as a whole only by twice that, then we give up.
        JmsExceptions.await(last, 2 * connection.requestTimeoutMs());
    }

    // ---- messages ----

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkClosed();
        return new HeraldBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkClosed();
        return new HeraldMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkClosed();
        return new HeraldMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkClosed();
        return new HeraldObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        ObjectMessage m = createObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkClosed();
        return new HeraldStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkClosed();
        return new HeraldTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage m = createTextMessage();
        m.setText(text);
        return m;
    }

    // ---- transactions, acknowledgement ----

    @Override
    public boolean getTransacted() throws JMSException {
        checkClosed();
        return acknowledgeMode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkClosed();
        return acknowledgeMode;
    }

    /** The acknowledgement mode in force now (an XA session's depends on whether it is in a branch). */
    int ackMode() {
        return acknowledgeMode;
    }

    /**
     * Commits the transaction as one unit: its batches and the acks of every message it received go to the broker in
     * one COMMIT, which the broker journals before applying, so a crash applies all of it or nothing. A transaction
     * of exactly one batch and no received messages goes as a plain PRODUCE (one batch is stored whole or not at
     * all), and an empty one sends nothing. If the broker refuses it, nothing was applied and this throws
     * TransactionRolledBackException; if the outcome is unknown (a lost connection, a broker failure after its
     * journal write) the session asks the broker, once connected again, whether it committed (TX_OUTCOME): a
     * clustered broker knows, and rolls an undecided transaction back for good; a single node cannot tell, and then
     * commit throws JMSException (in doubt), as it does when no answer comes at all. After a rollback or in doubt the
     * received messages are redelivered.
     */
    @Override
    public void commit() throws JMSException {
        checkClosed();
        checkNotInCompletionListener("commit");
        if (!isTransacted()) {
            throw new IllegalStateException("the session is not transacted");
        }
        awaitCompletions();
        if (rollbackOnly) {
            rollbackOnly = false;
            transactedSends.clear();
            redeliverUnacknowledged();
            settleClosedConsumers(false);
            throw new TransactionRolledBackException("the transaction was rolled back: the connection to the broker"
                    + " was lost while it was open (failover), or a destination it consumed from got a new leader;"
                    + " its sends were discarded and the messages it received come again");
        }
        committing = true;
        try {
            commitOpenTransaction();
        } finally {
            committing = false;
        }
    }

    private void commitOpenTransaction() throws JMSException {
        TransactedSends.Transaction tx = transactedSends.drain();
        List<HeraldMessageConsumer> all = new ArrayList<>(consumers);
        all.addAll(closedHoldingDeliveries);
        List<Commit.Consumed> consumed = new ArrayList<>();
        List<Integer> consumedCounts = new ArrayList<>(all.size());
        Ack onlyAck = null;
        int acking = 0;
        for (HeraldMessageConsumer c : all) {
            Ack ack = c.transactionAck();
            consumedCounts.add(ack == null ? 0 : ack.count());
            if (ack != null) {
                onlyAck = ack;
                acking++;
            }
            for (int i = 0; ack != null && i < ack.count(); i++) {
                consumed.add(new Commit.Consumed(ack.consumerId(), ack.partitions()[i], ack.offsets()[i],
                        ack.move()));
            }
        }
        CompletableFuture<Frame> answer;
        if (tx.produces().isEmpty() && consumed.isEmpty()) {
            answer = null;
        } else if (tx.produces().size() == 1 && consumed.isEmpty()) {
            answer = connection.broker().request(tx.produces().get(0)::encode);
        } else if (tx.produces().isEmpty() && acking == 1 && onePartition(onlyAck)) {
            // Settled in one task on one partition's context and stored in one position row: already atomic, so a
            // consume-only transaction pays no journal fsync.
            answer = connection.broker().request(onlyAck::encode);
        } else {
            List<Commit.Send> sends = new ArrayList<>(tx.produces().size());
            long bytes = Frame.HEADER_BYTES + 20L + 16L * consumed.size();
            for (Produce p : tx.produces()) {
                sends.add(new Commit.Send(p.kind(), p.destination(), p.partition(), p.batch()));
                bytes += 11L + 3L * p.destination().length() + p.batch().length();
            }
            if (bytes > Commit.MAX_FRAME_BYTES) {
                redeliverUnacknowledged();
                settleClosedConsumers(false);
                throw new TransactionRolledBackException("the transaction was rolled back: its " + bytes
                        + " bytes exceed the largest transaction the broker commits atomically, "
                        + Commit.MAX_FRAME_BYTES + " bytes");
            }
            answer = connection.broker().request(new Commit(tx.producerId(), tx.sequence(), sends, consumed)::encode);
        }
        try {
            if (answer != null) {
                JmsExceptions.await(answer, connection.requestTimeoutMs());
            }
        } catch (JMSException failure) {
            JMSException reported = outcomeUnknown(failure) && sentAsCommit(tx, consumed, acking, onlyAck)
                    ? askOutcome(tx, failure) : commitFailure(failure);
            if (reported != null) {
                redeliverUnacknowledged();
                settleClosedConsumers(false);
                throw reported;
            }
            // it committed after all
        }
        for (int i = 0; i < all.size(); i++) {
            all.get(i).transactionCommitted(consumedCounts.get(i));
        }
        settleClosedConsumers(true);
    }

    /** Whether the transaction went as one COMMIT frame (and so can be asked about by its id). */
    private static boolean sentAsCommit(TransactedSends.Transaction tx, List<Commit.Consumed> consumed, int acking,
                                        Ack onlyAck) {
        boolean singleProduce = tx.produces().size() == 1 && consumed.isEmpty();
        boolean singleAck = tx.produces().isEmpty() && acking == 1 && onePartition(onlyAck);
        return !singleProduce && !singleAck;
    }

    /** The broker may have applied the commit: its connection was lost, or it failed after deciding. */
    private static boolean outcomeUnknown(JMSException failure) {
        Throwable cause = failure.getCause();
        return cause instanceof io.heraldmq.client.ConnectionLostException
                || (cause instanceof BrokerErrorException b && b.code() == ErrorCode.INTERNAL);
    }

    /**
     * Asks (TX_OUTCOME, once the connection is back) whether the commit that lost its answer committed.
     *
     * @return null if it did; TransactionRolledBackException if it did not (a clustered broker makes sure it never
     *         will); the in-doubt JMSException of {@code failure} if the broker cannot tell
     */
    private JMSException askOutcome(TransactedSends.Transaction tx, JMSException failure) {
        CompletableFuture<Frame> outcome = connection.broker().request(
                new io.heraldmq.protocol.TxOutcome(tx.producerId(), tx.sequence())::encode);
        try {
            JmsExceptions.await(outcome, connection.requestTimeoutMs());
            return null;
        } catch (JMSException asked) {
            if (asked.getCause() instanceof BrokerErrorException b && b.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                TransactionRolledBackException e = new TransactionRolledBackException("the transaction was rolled"
                        + " back: its commit lost its answer (" + failure.getMessage() + ") and the broker says it"
                        + " did not commit: " + b.getMessage());
                e.setLinkedException(failure);
                e.initCause(asked);
                return e;
            }
            return commitFailure(failure);
        }
    }

    private static boolean onePartition(Ack ack) {
        int[] partitions = ack.partitions();
        for (int p : partitions) {
            if (p != partitions[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A refusal by the broker means nothing was applied: the transaction is rolled back. INTERNAL, a timeout or a
     * lost connection leave the outcome unknown: a plain JMSException saying the commit is in doubt, as the
     * specification has for a commit that failed for an internal reason. Not TransactionRolledBackException: the
     * broker may well have applied it (it journals a COMMIT before answering), and an application that took the
     * exception for a rollback and sent again would store the messages twice. With failover the session goes on; its
     * next transaction starts fresh.
     */
    private static JMSException commitFailure(JMSException failure) {
        Throwable cause = failure.getCause();
        boolean refused = cause instanceof BrokerErrorException b && b.code() != ErrorCode.INTERNAL;
        JMSException e = refused
                ? new TransactionRolledBackException("the transaction was rolled back: " + failure.getMessage())
                : new JMSException("the commit is in doubt, its outcome is unknown: " + failure.getMessage());
        e.setLinkedException(failure);
        e.initCause(failure);
        return e;
    }

    /** Discards the transaction's sends and redelivers what it received, in its original order, before anything else. */
    @Override
    public void rollback() throws JMSException {
        checkClosed();
        checkNotInCompletionListener("rollback");
        if (!isTransacted()) {
            throw new IllegalStateException("the session is not transacted");
        }
        awaitCompletions();
        rollbackOnly = false;
        transactedSends.clear();
        redeliverUnacknowledged();
        settleClosedConsumers(false);
    }

    /** Redelivers every unacknowledged message of this session, oldest first, marked redelivered. */
    @Override
    public void recover() throws JMSException {
        checkClosed();
        if (isTransacted()) {
            throw new IllegalStateException("recover is not allowed on a transacted session: use rollback");
        }
        redeliverUnacknowledged();
        settleClosedConsumers(false);
    }

    private void redeliverUnacknowledged() {
        for (HeraldMessageConsumer c : consumers) {
            c.redeliverUnacknowledged();
        }
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkClosed();
        return sessionListener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkClosed();
        if (listener == null) {
            // clearing what was never set: connection pools (pooled-jms) do this before reusing a session
            return;
        }
        throw new JMSException("session message listeners (application server facility) are not supported");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("session run() (application server facility) is not supported");
    }

    /**
     * Waits for outstanding asynchronous sends; an open transaction is rolled back (its consumers release). From
     * this session's own MessageListener it throws IllegalStateException, one of the two outcomes the Session.close
     * Javadoc allows (close would otherwise wait for the listener that calls it).
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        checkNotInCompletionListener("Session.close");
        if (onListenerThread()) {
            throw new IllegalStateException("a MessageListener must not close its own session");
        }
        closing = true;
        JMSException first = null;
        try {
            awaitCompletions();
        } catch (JMSException e) {
            first = e;
        }
        if (transactedSends != null) {
            transactedSends.clear();
        }
        settleClosedConsumers(false);
        for (HeraldMessageConsumer c : consumers) {
            try {
                c.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        for (HeraldMessageProducer p : producers) {
            p.closeQuietly();
        }
        for (HeraldQueueBrowser b : browsers) {
            try {
                b.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        closed = true;
        synchronized (completionLock) {
            if (completionThread != null) {
                completionThread.shutdown();
            }
        }
        ExecutorService e = listenerThread;
        if (e != null) {
            // Not the listener thread itself: close from a listener was refused above.
            e.shutdown();
            try {
                e.awaitTermination(connection.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        connection.sessionClosed(this);
        if (first != null) {
            throw first;
        }
    }

    // ---- producers and consumers ----

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkClosed();
        HeraldDestination d = toHerald(destination, true);
        HeraldMessageProducer p = new HeraldMessageProducer(this, d, connection.openProducer());
        producers.add(p);
        return p;
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        HeraldDestination d = toHerald(destination, false);
        byte flags = noLocal && !d.kind().isQueue() ? Subscribe.FLAG_NO_LOCAL : 0;
        return subscribe(d, null, flags, messageSelector);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, messageSelector);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedConsumer");
        return subscribe(toHerald(topic, false), name(sharedSubscriptionName), Subscribe.FLAG_SHARED,
                messageSelector);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
                                                   boolean noLocal) throws JMSException {
        return (TopicSubscriber) createDurableConsumer(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createDurableConsumer");
        checkClosed();
        // An invalid topic is reported as such, whether or not the client id is set.
        HeraldDestination d = toHerald(topic, false);
        if (connection.getClientID() == null) {
            throw new IllegalStateException("an unshared durable subscription needs a client id");
        }
        byte flags = (byte) (Subscribe.FLAG_DURABLE | (noLocal ? Subscribe.FLAG_NO_LOCAL : 0));
        return subscribe(d, name(name), flags, messageSelector);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        checkDomain(Domain.TOPIC, "createSharedDurableConsumer");
        return subscribe(toHerald(topic, false), name(name), (byte) (Subscribe.FLAG_DURABLE | Subscribe.FLAG_SHARED),
                messageSelector);
    }

    private HeraldMessageConsumer subscribe(HeraldDestination d, String subscriptionName, byte flags,
                                            String selector) throws JMSException {
        checkClosed();
        HeraldMessageConsumer c = new HeraldMessageConsumer(this, d, subscriptionName, flags,
                selector == null || selector.isBlank() ? null : selector);
        consumers.add(c);
        try {
            c.open();
        } catch (JMSException e) {
            consumers.remove(c);
            throw e;
        }
        return c;
    }

    private static String name(String subscriptionName) throws JMSException {
        if (subscriptionName == null || subscriptionName.isEmpty()) {
            throw new jakarta.jms.JMSException("a subscription name must not be null or empty");
        }
        return subscriptionName;
    }

    // ---- destinations ----

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkDomain(Domain.QUEUE, "createQueue");
        checkClosed();
        return new HeraldQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkDomain(Domain.TOPIC, "createTopic");
        checkClosed();
        return new HeraldTopic(topicName);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkDomain(Domain.QUEUE, "createBrowser");
        checkClosed();
        HeraldDestination d = toHerald(queue, false);
        String selector = messageSelector == null || messageSelector.isBlank() ? null : messageSelector;
        try {
            Selector.parse(selector);
        } catch (SelectorParseException e) {
            InvalidSelectorException x = new InvalidSelectorException(e.getMessage());
            x.initCause(e);
            throw x;
        }
        HeraldQueueBrowser b = new HeraldQueueBrowser(this, d, selector);
        browsers.add(b);
        return b;
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkDomain(Domain.QUEUE, "createTemporaryQueue");
        checkClosed();
        return (TemporaryQueue) connection.createTemporary(DestinationKind.TEMPORARY_QUEUE);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkDomain(Domain.TOPIC, "createTemporaryTopic");
        checkClosed();
        return (TemporaryTopic) connection.createTemporary(DestinationKind.TEMPORARY_TOPIC);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkDomain(Domain.TOPIC, "unsubscribe");
        checkClosed();
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("a subscription name must not be null or empty");
        }
        // The broker refuses while a consumer is active on the subscription (IllegalStateException) and names an
        // unknown subscription (InvalidDestinationException).
        JmsExceptions.await(connection.broker().request(new Unsubscribe(name)::encode), connection.requestTimeoutMs());
    }

    /** Our destination for any JMS destination: ours as is, another provider's by name. */
    static HeraldDestination toHerald(Destination d, boolean nullAllowed) throws JMSException {
        if (d == null) {
            if (nullAllowed) {
                return null;
            }
            throw new InvalidDestinationException("destination must not be null");
        }
        if (d instanceof HeraldDestination h) {
            return h;
        }
        if (d instanceof Queue q) {
            return new HeraldQueue(q.getQueueName());
        }
        if (d instanceof Topic t) {
            return new HeraldTopic(t.getTopicName());
        }
        throw new InvalidDestinationException("unsupported destination " + d);
    }
}
