package io.heraldmq.server.subscription;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A subscription's cursor in one partition and the dispatcher that feeds its consumers: records are read in order
 * (from the tail cache, else from disk on a worker), filtered, and handed round robin to consumers that have credit;
 * each delivery stays in flight until its consumer settles it. Released deliveries are redelivered before new
 * records. Everything here runs on the partition's context.
 */
final class PartitionSubscription implements Partition.AppendListener {
    private static final Logger LOG = Logger.getLogger(PartitionSubscription.class.getName());

    private record InFlight(ConsumerLink link, int deliveryCount, Buffer record) {
    }

    private record Redelivery(long offset, int deliveryCount, Buffer record) {
    }

    private final Subscription subscription;
    private final Partition partition;
    private final AckTracker acks;
    private final RecordCursor cursor = new RecordCursor();
    private final List<ConsumerLink> consumers = new ArrayList<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final ArrayDeque<Redelivery> redeliveries = new ArrayDeque<>();
    private long readOffset;
    private int nextConsumer;
    private boolean dispatching;
    private boolean loading;
    private boolean closed;

    PartitionSubscription(Subscription subscription, Partition partition, Position start) {
        this.subscription = subscription;
        this.partition = partition;
        this.acks = new AckTracker(start.committedOffset(), start.ackedRanges());
        this.readOffset = start.committedOffset();
    }

    Partition partition() {
        return partition;
    }

    @Override
    public void appended() {
        if (!consumers.isEmpty()) {
            dispatch();
        }
    }

    void attach(ConsumerLink link) {
        consumers.add(link);
        dispatch();
    }

    /**
     * Removes a consumer; what it had in flight goes back for redelivery.
     *
     * @param countAsDelivered the connection dropped, so the application may have seen them: count a delivery
     *                         (JMSRedelivered). A graceful close has already released what the application saw.
     */
    void detach(ConsumerLink link, boolean countAsDelivered) {
        consumers.remove(link);
        List<Redelivery> back = new ArrayList<>();
        for (Iterator<Map.Entry<Long, InFlight>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, InFlight> e = it.next();
            if (e.getValue().link == link) {
                it.remove();
                int count = e.getValue().deliveryCount + (countAsDelivered ? 1 : 0);
                back.add(new Redelivery(e.getKey(), count, e.getValue().record));
            }
        }
        back.sort((a, b) -> Long.compare(a.offset, b.offset));
        for (int i = back.size() - 1; i >= 0; i--) {
            redeliveries.addFirst(back.get(i));
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
        partition.removeListener(this);
    }

    void addCredit(ConsumerLink link, int credit) {
        link.credit += credit;
        dispatch();
    }

    /** Applies an ACK for deliveries made through {@code link}. */
    void settle(ConsumerLink link, long offset, byte outcome) {
        InFlight f = inFlight.get(offset);
        if (f == null || f.link != link) {
            return;
        }
        inFlight.remove(offset);
        switch (outcome) {
            case Ack.RELEASED -> redeliveries.addFirst(new Redelivery(offset, f.deliveryCount + 1, f.record));
            case Ack.RETURNED -> redeliveries.addFirst(new Redelivery(offset, f.deliveryCount, f.record));
            default -> markSettled(offset);
        }
    }

    private void markSettled(long offset) {
        acks.settle(offset);
        if (subscription.durable()) {
            subscription.commit(partition.id(), new Position(acks.committed(), acks.ranges()));
        }
    }

    /** Hands out records while some consumer has credit and records are available. */
    void dispatch() {
        if (dispatching || loading || closed) {
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
        }
    }

    private void dispatchLoop() {
        long now = System.currentTimeMillis();
        while (true) {
            ConsumerLink link = nextWithCredit();
            if (link == null) {
                return;
            }
            Redelivery again = redeliveries.pollFirst();
            if (again != null) {
                deliver(link, again.offset, again.deliveryCount, again.record);
                continue;
            }
            if (!cursor.advance(readOffset)) {
                if (readOffset >= partition.logEndOffset()) {
                    return;
                }
                Future<Buffer> read = partition.read(readOffset);
                if (read.isComplete() && read.succeeded()) {
                    if (read.result().length() == 0) {
                        return;
                    }
                    cursor.reset(read.result());
                    continue;
                }
                loading = true;
                read.onComplete(ar -> {
                    loading = false;
                    if (ar.succeeded()) {
                        cursor.reset(ar.result());
                        dispatch();
                    } else {
                        LOG.log(Level.WARNING, "read of " + partition.topic() + "-" + partition.id() + " at "
                                + readOffset + " failed", ar.cause());
                    }
                });
                // The read may have completed since isComplete() above: then the handler has just run here, inside
                // this loop, and its dispatch() returned at once (dispatching is set). Go on with what it loaded, or
                // nothing would dispatch until the next credit, ack or append.
                if (loading || read.failed() || read.result().length() == 0) {
                    return;
                }
                continue;
            }
            long offset = cursor.offset();
            Buffer record = cursor.record();
            readOffset = offset + 1;
            if (acks.isSettled(offset)) {
                continue;
            }
            Buffer message = RecordBatch.message(record);
            long expiration = WireMessage.expiration(message);
            if ((expiration != 0 && expiration <= now) || !subscription.filter().accept(message)) {
                markSettled(offset);
                continue;
            }
            deliver(link, offset, 1, record);
        }
    }

    private void deliver(ConsumerLink link, long offset, int deliveryCount, Buffer record) {
        inFlight.put(offset, new InFlight(link, deliveryCount, record));
        link.deliver(partition.id(), offset, deliveryCount, record);
    }

    private ConsumerLink nextWithCredit() {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            ConsumerLink c = consumers.get((nextConsumer + i) % n);
            if (c.credit > 0) {
                nextConsumer = (nextConsumer + i + 1) % n;
                return c;
            }
        }
        return null;
    }
}
