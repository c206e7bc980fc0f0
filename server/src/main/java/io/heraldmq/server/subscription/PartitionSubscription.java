package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.log.RetentionHold;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.metrics.DestinationMeters;
import io.heraldmq.server.metrics.PartitionFigures;
import io.heraldmq.server.metrics.SubscriptionFigures;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subscription's cursor in one partition and the dispatcher that feeds its consumers. Everything here runs on the
 * partition's context.
 * <p>
 * Records are read in log order (from the tail cache, else from disk on a worker) into a bounded look-ahead
 * {@link DeliveryWindow} of {@value #LOOKAHEAD} records: settled, expired and (subscription filter) unwanted records
 * are settled or skipped on the way; records whose JMSDeliveryTime lies ahead go to {@link DelayedDeliveries}, and a
 * timer on the partition's context brings them back when the earliest comes due. From the window, deliveries go out
 * highest priority first (queues; a topic subscription puts everything on one level and so keeps log order) to a
 * consumer with credit, round robin, that accepts the record:
 * <ul>
 *   <li>on a queue each consumer may have its own selector. A record that no attached consumer's selector matches
 *       is <em>parked</em>: dropped from memory but left unsettled, so it does not hold up the records behind it.
 *       Only the lowest parked offset is remembered; when a consumer attaches, the cursor rewinds to it and the
 *       records from there on are examined again (those settled, in flight or still held are skipped). Memory stays
 *       bounded; the price is a re-read when consumers come and go.</li>
 *   <li>on a queue a record with a group (JMSXGroupID, the record key) goes to the consumer the group is pinned to
 *       in this partition; the first record of a group pins it to the consumer it goes to, and a consumer's groups
 *       are unpinned when it detaches.</li>
 * </ul>
 * When the window is full and holds records that only consumers without credit can take (their selector, their
 * group), those are set aside ({@value #BLOCKED_MAX} at most, still in memory) so that the records behind them reach
 * the consumers that have credit; they return to the front of the window when credit or consumers change.
 * <p>
 * Each delivery stays in flight until its consumer settles it; released and returned deliveries go back to the front
 * of the window. A released one first waits out its destination's redelivery delay among the delayed records, or,
 * once it has had its {@link RedeliveryPolicy#maxDeliveryAttempts() deliveries} (or was rejected), goes to the dead
 * letter queue ({@link DeadLetters}) and is settled here only when the copy is stored. Priorities are honoured
 * among the records held in the window (the specification asks for a best effort), not across the whole log.
 */
final class PartitionSubscription implements Partition.AppendListener {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionSubscription.class);
    /** Records read ahead of delivery, so that a higher priority can overtake a lower one. */
    static final int LOOKAHEAD = 256;
    /** Records set aside for consumers without credit while others starve; past this the window waits for them. */
    static final int BLOCKED_MAX = 4096;
    /** Records not yet delivered beyond which an active consumer holds producers back ({@link #backedUp()}). */
    static final int BACKLOG_LIMIT = 1024;
    /** A consumer that granted credit this recently is active even if it has none left. */
    private static final long ACTIVE_NANOS = 1_000_000_000L;
    private static final long NONE = Long.MAX_VALUE;
    /** After a failed dead-letter write, the record is delivered again this much later. */
    private static final long DEAD_LETTER_RETRY_MS = 5_000;
    private static final Buffer EMPTY = Buffer.buffer(0);

    private record InFlight(ConsumerLink link, int deliveryCount, Buffer record) {
    }

    private final Subscription subscription;
    private final Partition partition;
    private final boolean queue;
    private final AckTracker acks;
    private final RecordCursor cursor = new RecordCursor();
    private final List<ConsumerLink> consumers = new ArrayList<>();
    private final LongKeyMap<InFlight> inFlight = new LongKeyMap<>();
    private final DeliveryWindow window = new DeliveryWindow();
    /** Offsets prepared XA branches consumed: skipped like deliveries in flight until their outcome. */
    private final HeldDeliveries.Entry held;
    /** Records only consumers without credit can take (selector, group owner), set aside from a full window. */
    private final DeliveryWindow blocked = new DeliveryWindow();
    private final DelayedDeliveries delayed = new DelayedDeliveries();
    private final Map<String, ConsumerLink> groups = new HashMap<>();
    /** Offsets whose dead-letter copy is being stored: neither deliverable nor settled until it is. */
    private final Set<Long> deadLettering = new HashSet<>();
    /** Delivery counts of parked records that had been delivered before, so re-reading them does not reset it. */
    private final Map<Long, Integer> parkedCounts = new HashMap<>();
    private long readOffset;
    /** Every offset below this has been read once; only those can be read again (after a rewind) while held. */
    private long highWater;
    /** Lowest offset parked because no consumer's selector matched it, or NONE. */
    private long lowestParked = NONE;
    private int nextConsumer;
    /** Inside {@link #settle(ConsumerLink, long[], Ack)}: the position is stored once at its end. */
    private boolean settlingMany;
    private boolean positionMoved;
    private boolean dispatching;
    private boolean dispatchQueued;
    private boolean loading;
    private boolean closed;
    private long timerId = -1;
    private long timerDue = NONE;
    /** Records skipped because their JMSExpiration had passed; in memory only, from when this cursor opened. */
    private long expired;
    /** Counted here, on the partition's context; read by the meters when scraped. */
    private final SubscriptionFigures figures = new SubscriptionFigures();
    private final PartitionFigures partitionFigures;
    private final DestinationMeters.Registration registration;
    /** Subscriptions with meters only (durable, of a destination with series): the oldest unsettled record's age. */
    private final BacklogAge age;

    /** Context: the partition's. */
    PartitionSubscription(Subscription subscription, Partition partition, Position start,
                          HeldDeliveries heldDeliveries) {
        this.subscription = subscription;
        this.partition = partition;
        this.queue = subscription.queue();
        this.acks = new AckTracker(start.committedOffset(), start.ackedRanges());
        this.readOffset = start.committedOffset();
        figures.readOffset.set(readOffset);
        this.held = heldDeliveries.entry(subscription.id(), partition.id());
        this.partitionFigures = partition.figures();
        // Durable subscriptions only: a non-durable one lives as long as its consumer, and a series per consumer
        // would grow without bound.
        this.registration = subscription.durable() ? partition.meters().subscription(subscription.id(),
                partition.id(), figures, partition::logEndOffset, partition::controlRecords) : null;
        this.age = subscription.durable() && partition.meters() != DestinationMeters.NONE
                ? new BacklogAge(partition, figures.oldestTimestamp) : null;
        settledMoved();
    }

    Partition partition() {
        return partition;
    }

    /**
     * Dispatches after the appends already queued on the partition's context: a burst of produced batches (one
     * socket read holds many) then goes out as one DELIVER frame per consumer, not one frame per batch.
     */
    @Override
    public void appended() {
        trackAge();
        if (!consumers.isEmpty() && !dispatchQueued) {
            dispatchQueued = true;
            partition.run(() -> {
                dispatchQueued = false;
                dispatch();
            });
        }
    }

    /**
     * Whether this subscription is far behind the log end while a consumer is taking messages (it has credit, or
     * granted some lately): producers then wait for it. A consumer that takes nothing for a while does not hold them;
     * the log keeps what it has not read.
     */
    @Override
    public boolean backedUp() {
        if (consumers.isEmpty() || partition.logEndOffset() - readOffset + window.size() <= BACKLOG_LIMIT) {
            return false;
        }
        long now = System.nanoTime();
        for (int i = 0; i < consumers.size(); i++) {
            ConsumerLink c = consumers.get(i);
            if (c.credit > 0 || now - c.lastCreditNanos < ACTIVE_NANOS) {
                return true;
            }
        }
        return false;
    }

    void attach(ConsumerLink link) {
        consumers.add(link);
        figures.consumers.set(consumers.size());
        unblock();
        if (lowestParked != NONE) {
            // The newcomer's selector may match what nobody wanted so far.
            rewind(lowestParked);
        }
        dispatch();
    }

    /** Starts a queue browser on this partition: it reads on its own from the oldest unsettled record. */
    void attachBrowser(ConsumerLink link) {
        link.browser = new PartitionBrowser(this, link, acks.committed(), partition.visibleEnd());
        link.browser.dispatch();
    }

    /**
     * Removes a consumer; what it had in flight goes back for redelivery and its message groups are unpinned.
     *
     * @param countAsDelivered the connection dropped, so the application may have seen them: count a delivery
     *                         (JMSRedelivered). A graceful close has already released what the application saw.
     */
    void detach(ConsumerLink link, boolean countAsDelivered) {
        if (link.browser != null) {
            link.browser.close();
            return;
        }
        consumers.remove(link);
        figures.consumers.set(consumers.size());
        if (nextConsumer >= consumers.size()) {
            nextConsumer = 0;
        }
        groups.values().removeIf(owner -> owner == link);
        unblock();
        List<Long> back = new ArrayList<>();
        inFlight.forEach((offset, f) -> {
            if (f.link == link) {
                back.add(offset);
            }
        });
        for (long offset : back) {
            InFlight f = inFlight.remove(offset);
            figures.inFlight.set(inFlight.size());
            if (countAsDelivered) {
                redeliver(offset, f.deliveryCount + 1, f.record, "the consumer's connection was lost");
            } else {
                requeue(offset, f.deliveryCount, f.record);
            }
        }
        if (!consumers.isEmpty()) {
            dispatch();
        }
    }

    int consumerCount() {
        return consumers.size();
    }

    void close() {
        closed = true;
        if (registration != null) {
            registration.close();
        }
        partition.removeListener(this);
        if (timerId != -1) {
            partition.context().owner().cancelTimer(timerId);
            timerId = -1;
        }
    }

    void addCredit(ConsumerLink link, int credit) {
        link.credit += credit;
        link.lastCreditNanos = System.nanoTime();
        if (link.browser != null) {
            link.browser.dispatch();
        } else {
            unblock();
            dispatch();
        }
    }

    /**
     * Applies an ACK (its outcome, and the reason and count the client may add) to one delivery made through
     * {@code link}.
     */
    /**
     * Settles the deliveries one ACK names in this partition, and stores the subscription's position once for all
     * of them: a consumer acknowledging 64 messages at a time then costs one position write, not 64.
     */
    void settle(ConsumerLink link, long[] offsets, Ack ack) {
        settlingMany = true;
        try {
            for (long offset : offsets) {
                settle(link, offset, ack);
            }
        } finally {
            settlingMany = false;
            trackAge();
            if (positionMoved) {
                positionMoved = false;
                subscription.commit(partition.id(), new Position(acks.committed(), acks.ranges()));
            }
        }
    }

    void settle(ConsumerLink link, long offset, Ack ack) {
        InFlight f = inFlight.get(offset);
        if (f == null || f.link != link) {
            return;
        }
        inFlight.remove(offset);
        figures.inFlight.set(inFlight.size());
        String reason = ack.reason();
        switch (ack.outcome()) {
            // The client may have redelivered it itself (recover, rollback): its count is then ahead of ours.
            case Ack.RELEASED -> redeliver(offset, Math.max(f.deliveryCount, ack.seenCount()) + 1, f.record, reason);
            case Ack.RETURNED -> requeue(offset, f.deliveryCount, f.record);
            case Ack.REJECTED -> deadLetter(offset, f.record, f.deliveryCount,
                    reason != null ? reason : "rejected by the consumer");
            default -> markSettled(offset);
        }
    }

    /**
     * A prepared XA branch consumed this delivery: it leaves the consumer (which may now close or drop without it
     * coming back) and is held until the branch's outcome ({@link HeldDeliveries}).
     *
     * @return false if it is not in flight to {@code link} (returned already): it cannot be held
     */
    boolean hold(ConsumerLink link, long offset) {
        InFlight f = inFlight.get(offset);
        if (f == null || f.link != link) {
            return false;
        }
        inFlight.remove(offset);
        figures.inFlight.set(inFlight.size());
        held.offsets.put(offset, new HeldDeliveries.Held(f.deliveryCount, f.record));
        return true;
    }

    /** The branch that held {@code offset} committed: it is consumed. */
    void settleHeld(long offset) {
        if (held.offsets.remove(offset) != null) {
            markSettled(offset);
        }
    }

    /**
     * The branch that held {@code offset} rolled back (or its prepare was refused): it comes again, counted. A record
     * held since before a restart is read from the log again.
     */
    void releaseHeld(long offset) {
        HeldDeliveries.Held h = held.offsets.remove(offset);
        if (h == null || acks.isSettled(offset)) {
            return;
        }
        if (h.record() != null) {
            redeliver(offset, h.deliveryCount() + 1, h.record(), "the XA transaction was rolled back");
        } else {
            parkedCounts.put(offset, Math.max(2, firstDeliveryCount(offset) + 1));
            rewind(offset);
        }
        if (!consumers.isEmpty()) {
            dispatch();
        }
    }

    /** What this subscription keeps of the log against retention: everything from its committed offset on. */
    @Override
    public RetentionHold retentionHold() {
        return new RetentionHold(acks.committed(), subscription.retentionMs());
    }

    /**
     * Messages behind: records up to the log end that are not settled yet (in flight ones included), control records
     * left out (a subscription settles them only as it reads them).
     */
    long backlog() {
        return partition.backlog(acks.committed(), acks.ranges());
    }

    /** Records skipped as expired since this cursor opened. */
    long expired() {
        return expired;
    }

    /** For browsers: settled records are no longer in the queue. */
    boolean isSettled(long offset) {
        return acks.isSettled(offset);
    }

    /** For browsers: how often a record has been delivered, as far as this dispatcher knows; 1 if never. */
    int deliveryCount(long offset) {
        InFlight f = inFlight.get(offset);
        if (f != null) {
            return f.deliveryCount;
        }
        PendingDelivery p = window.get(offset);
        if (p == null) {
            p = blocked.get(offset);
        }
        return p != null ? p.deliveryCount : parkedCounts.getOrDefault(offset, firstDeliveryCount(offset));
    }

    /**
     * The count of a record's first delivery by this dispatcher: 2 (JMSRedelivered) if it was in the log when a
     * crash lost the delivery counts, since it may have been delivered before, else 1.
     */
    private int firstDeliveryCount(long offset) {
        return offset < partition.possiblyDeliveredBelow() ? 2 : 1;
    }

    /** Consumers or credit changed: what was set aside may be deliverable now, ahead of what came after it. */
    private void unblock() {
        if (!blocked.isEmpty()) {
            window.takeAll(blocked);
        }
    }

    private void requeue(long offset, int deliveryCount, Buffer record) {
        window.add(PendingDelivery.of(offset, deliveryCount, record, queue));
    }

    /**
     * A delivery came back counted: it goes out again after the destination's redelivery delay (the records behind
     * it flow meanwhile), or to the dead letter queue once it has had its deliveries.
     *
     * @param deliveryCount the count its next delivery would have
     */
    private void redeliver(long offset, int deliveryCount, Buffer record, String reason) {
        RedeliveryPolicy policy = subscription.redelivery();
        if (policy.exhausted(deliveryCount)) {
            deadLetter(offset, record, deliveryCount - 1, reason != null ? reason
                    : "max delivery attempts (" + policy.maxDeliveryAttempts() + ") exceeded");
            return;
        }
        long delay = policy.delayBefore(deliveryCount);
        if (delay == 0) {
            requeue(offset, deliveryCount, record);
        } else {
            // The dispatch that follows every settle and detach arms the timer for it.
            delayed.add(PendingDelivery.of(offset, deliveryCount, record, queue)
                    .notBefore(System.currentTimeMillis() + delay));
        }
    }

    /**
     * Stores a copy in the dead letter queue, then settles the record here: a crash in between leaves a duplicate
     * dead letter, never a lost message. If storing fails the record is delivered again a little later (and comes
     * back here when that delivery fails too).
     */
    private void deadLetter(long offset, Buffer record, int deliveries, String reason) {
        deadLettering.add(offset);
        subscription.deadLetter(record, deliveries, reason).onComplete(ar -> partition.run(() -> {
            deadLettering.remove(offset);
            if (closed) {
                return; // still unsettled in the log: the next subscription on it examines it again
            }
            if (ar.succeeded()) {
                figures.deadLettered.increment();
                markSettled(offset);
                return;
            }
            LOG.warn("cannot store the dead letter of {}-{} at {} in {}", partition.topic(), partition.id(), offset,
                    subscription.redelivery().deadLetterQueue(), ar.cause());
            delayed.add(PendingDelivery.of(offset, deliveries, record, queue)
                    .notBefore(System.currentTimeMillis() + DEAD_LETTER_RETRY_MS));
            if (!consumers.isEmpty()) {
                dispatch();
            }
        }));
    }

    private void markSettled(long offset) {
        acks.settle(offset);
        settledMoved();
        if (subscription.durable()) {
            if (settlingMany) {
                positionMoved = true;
            } else {
                subscription.commit(partition.id(), new Position(acks.committed(), acks.ranges()));
            }
        }
    }

    /**
     * Settled offsets changed: updates the figures the meters read (records settled, and the age of the oldest
     * unsettled record, once at the end of an ACK that settles many).
     */
    private void settledMoved() {
        figures.settled.set(acks.committed() + acks.settledAbove());
        if (!settlingMany) {
            trackAge();
        }
    }

    /** Looks the oldest unsettled record's timestamp up, only if the committed offset moved (or records came). */
    private void trackAge() {
        long committed = acks.committed();
        if (age != null && age.stale(committed)) {
            age.track(committed, heldRecord(committed));
        }
    }

    /** The record at {@code offset} if this dispatcher holds it in memory (in flight or read ahead), else null. */
    private Buffer heldRecord(long offset) {
        InFlight f = inFlight.get(offset);
        if (f != null) {
            return f.record;
        }
        PendingDelivery p = window.get(offset);
        if (p == null) {
            p = blocked.get(offset);
        }
        return p != null ? p.record : null;
    }

    /** Moves the read position back to {@code offset} so that the records from there on are examined again. */
    private void rewind(long offset) {
        if (offset < readOffset) {
            readOffset = offset;
            cursor.reset(EMPTY);
        }
        if (lowestParked >= offset) {
            lowestParked = NONE;
        }
    }

    /** Hands out records while some consumer has credit and records are available. */
    void dispatch() {
        if (dispatching || closed) {
            return;
        }
        dispatching = true;
        try {
            dispatchLoop();
        } finally {
            dispatching = false;
            for (int i = 0; i < consumers.size(); i++) {
                consumers.get(i).flush();
            }
            armTimer();
            partition.consumersProgressed();
        }
    }

    private void dispatchLoop() {
        long now = System.currentTimeMillis();
        for (PendingDelivery due = delayed.pollDue(now); due != null; due = delayed.pollDue(now)) {
            window.add(due);
        }
        while (anyCredit()) {
            boolean read = fill(now);
            boolean delivered = deliverFromWindow(now);
            if (!read && !delivered) {
                return;
            }
        }
    }

    /**
     * Reads records into the window until it holds {@link #LOOKAHEAD}, the log end is reached or a disk read is
     * under way (its completion dispatches again).
     *
     * @return whether the read position moved
     */
    private boolean fill(long now) {
        boolean moved = false;
        while (window.size() < LOOKAHEAD) {
            long visibleEnd = partition.readableEnd();
            if (!cursor.advance(readOffset, visibleEnd)) {
                if (readOffset < partition.logStartOffset()) {
                    skipToLogStart();
                }
                if (loading || readOffset >= visibleEnd) {
                    return moved;
                }
                Buffer cached = partition.readCached(readOffset);
                if (cached != null) {
                    cursor.reset(cached);
                    continue;
                }
                Future<Buffer> read = partition.read(readOffset);
                if (read.isComplete() && read.succeeded()) {
                    if (read.result().length() == 0) {
                        return moved;
                    }
                    cursor.reset(read.result());
                    continue;
                }
                loading = true;
                long requested = readOffset;
                read.onComplete(ar -> {
                    loading = false;
                    if (ar.failed()) {
                        LOG.warn("read of {}-{} at {} failed", partition.topic(), partition.id(), requested,
                                ar.cause());
                        return;
                    }
                    if (requested == readOffset) {
                        cursor.reset(ar.result());
                    }
                    dispatch();
                });
                // The read may have completed since isComplete() above: then the handler has just run here, inside
                // this loop, and its dispatch() returned at once (dispatching is set). Go on with what it loaded, or
                // nothing would dispatch until the next credit, ack or append.
                if (loading || read.failed() || read.result().length() == 0) {
                    return moved;
                }
                continue;
            }
            moved = true;
            long offset = cursor.offset();
            Buffer record = cursor.record();
            readOffset = offset + 1;
            if (cursor.control()) {
                // the broker's own record (epoch marker, replicated metadata): takes an offset, is no message.
                // The gauge counts the control records from here on as not settled: none lies between this one and
                // the real read offset, so the figure moves here only, not per record, nor back on a rewind.
                figures.readOffset.set(readOffset);
                if (!acks.isSettled(offset)) {
                    acks.settle(offset);
                    settledMoved();
                    if (subscription.durable()) {
                        subscription.commit(partition.id(), new Position(acks.committed(), acks.ranges()), false);
                    }
                }
                continue;
            }
            admit(offset, record, now);
        }
        return moved;
    }

    /** Decides about one record read from the log. */
    private void admit(long offset, Buffer record, long now) {
        if (acks.isSettled(offset) || held.isHeld(offset)) {
            return;
        }
        if (age != null) {
            age.read(offset, record);
        }
        if (offset < highWater) {
            if (inFlight.containsKey(offset) || window.contains(offset) || blocked.contains(offset)
                    || delayed.contains(offset) || deadLettering.contains(offset)) {
                return;
            }
        } else {
            highWater = offset + 1;
        }
        Integer count = parkedCounts.isEmpty() ? null : parkedCounts.remove(offset);
        // Read in place: a slice of the message is made only for a filter that needs one.
        int messageStart = RecordBatch.messageStart(record);
        long expiration = WireMessage.expiration(record, messageStart);
        if (expiration != 0 && expiration <= now) {
            expired++;
            figures.expired.increment();
            markSettled(offset);
            return;
        }
        MessageFilter filter = subscription.filter();
        if (filter != MessageFilter.ALL && !filter.accept(RecordBatch.message(record))) {
            markSettled(offset);
            return;
        }
        int deliveryCount = count == null ? firstDeliveryCount(offset) : count;
        PendingDelivery p = PendingDelivery.of(offset, deliveryCount, record, messageStart, queue);
        if (p.deliveryTime > now) {
            delayed.add(p);
        } else {
            window.add(p);
        }
    }

    /** @return whether anything left the window */
    private boolean deliverFromWindow(long now) {
        boolean progress = false;
        for (Iterator<PendingDelivery> it = window.iterator(); it.hasNext() && anyCredit(); ) {
            PendingDelivery p = it.next();
            if (p.expired(now)) {
                it.remove();
                expired++;
                figures.expired.increment();
                markSettled(p.offset);
                progress = true;
                continue;
            }
            ConsumerLink link = chooseConsumer(p);
            if (link == null) {
                if (window.size() >= LOOKAHEAD && blocked.size() < BLOCKED_MAX) {
                    // A full window of records for consumers without credit must not starve the others.
                    it.remove();
                    blocked.add(p);
                    progress = true;
                }
                continue;
            }
            it.remove();
            progress = true;
            if (link == PARK) {
                park(p);
            } else {
                deliver(link, p.offset, p.deliveryCount, p.record);
            }
        }
        return progress;
    }

    /** Marker from {@link #chooseConsumer}: no attached consumer's selector matches the record. */
    private static final ConsumerLink PARK = new ConsumerLink(null, null, 0);

    /**
     * @return a consumer with credit to take {@code p}; null if only consumers without credit (or a busy group
     *         owner) can take it; {@link #PARK} if no attached consumer accepts it
     */
    private ConsumerLink chooseConsumer(PendingDelivery p) {
        ConsumerLink owner = p.group == null ? null : groups.get(p.group);
        if (owner != null && owner.accepts(p)) {
            return owner.credit > 0 ? owner : null;
        }
        int n = consumers.size();
        boolean accepted = false;
        for (int i = 0; i < n; i++) {
            ConsumerLink c = consumers.get((nextConsumer + i) % n);
            if (!c.accepts(p)) {
                continue;
            }
            accepted = true;
            if (c.credit > 0) {
                nextConsumer = (nextConsumer + i + 1) % n;
                if (p.group != null && owner == null) {
                    groups.put(p.group, c);
                }
                return c;
            }
        }
        return accepted || n == 0 ? null : PARK;
    }

    private void park(PendingDelivery p) {
        lowestParked = Math.min(lowestParked, p.offset);
        if (p.deliveryCount > 1) {
            parkedCounts.put(p.offset, p.deliveryCount);
        }
    }

    /** Retention deleted the segments where this subscription was: it continues at the log start. */
    private void skipToLogStart() {
        long start = partition.logStartOffset();
        LOG.info("subscription {} in {}-{} skips offsets {} to {}, deleted by retention", subscription.id(),
                partition.topic(), partition.id(), readOffset, (start - 1));
        readOffset = start;
        figures.readOffset.set(readOffset);
        boolean moved = acks.skipTo(start);
        settledMoved();
        if (moved && subscription.durable()) {
            subscription.commit(partition.id(), new Position(acks.committed(), acks.ranges()));
        }
    }

    private void deliver(ConsumerLink link, long offset, int deliveryCount, Buffer record) {
        inFlight.put(offset, new InFlight(link, deliveryCount, record));
        figures.inFlight.set(inFlight.size());
        partitionFigures.messagesOut.increment();
        partitionFigures.bytesOut.add(record.length());
        if (deliveryCount > 1) {
            figures.redelivered.increment();
        }
        link.deliver(partition.id(), offset, deliveryCount, record, window.size() + 1);
    }

    private boolean anyCredit() {
        for (int i = 0; i < consumers.size(); i++) {
            if (consumers.get(i).credit > 0) {
                return true;
            }
        }
        return false;
    }

    /** Wakes dispatch when the earliest delayed record comes due. */
    private void armTimer() {
        long due = delayed.nextDue();
        if (closed || due == NONE || (timerId != -1 && timerDue <= due)) {
            return;
        }
        if (timerId != -1) {
            partition.context().owner().cancelTimer(timerId);
        }
        long delay = Math.max(1, due - System.currentTimeMillis());
        timerDue = due;
        timerId = partition.context().owner().setTimer(delay, id -> partition.run(() -> {
            if (timerId == id) {
                timerId = -1;
                timerDue = NONE;
                dispatch();
            }
        }));
    }
}
