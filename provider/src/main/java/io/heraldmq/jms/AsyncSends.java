package io.heraldmq.jms;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Coalesces a session's asynchronous sends ({@code send(msg, CompletionListener)}) into record batches, the way a
 * group commit does: a send finding none of the session's asynchronous sends in flight goes out at once, alone, so a
 * lone send waits for nothing; sends made while one is in flight gather in one pending batch, which goes out when an
 * answer comes back (or when it is full, or when a send that cannot join it comes). So a fast asynchronous producer
 * sends one PRODUCE (one append, one fsync on the broker) per round trip rather than per message, with every
 * CompletionListener still called in send order: the messages of one batch are answered together.
 * <p>
 * A pending batch holds the sends of one producer to one destination, partition, delivery mode and key (the broker
 * routes a batch by its first record's key). Any other send of the session, asynchronous or not, first sends the
 * pending batch, so the session's sends reach the broker in the order they were made. A batch is at most
 * {@value #MAX_BATCH_BYTES} bytes (the frame limit leaves that much room above one maximal message) and
 * {@value #MAX_BATCH_RECORDS} records. Being a producer's batch it carries one idempotent sequence and is sent again
 * whole after a failover like any other.
 * <p>
 * Threads: the session's thread sends; answers arrive on the connection's event loop, which sends the pending batch.
 * Both under this object's lock, taken before a producer's own (never the other way round); sending does not block.
 */
final class AsyncSends {
    static final int MAX_BATCH_BYTES = 64 * 1024;
    static final int MAX_BATCH_RECORDS = 1024;

    /** The batch being gathered: whose it is, where it goes, and the answer every message in it will get. */
    private static final class Pending {
        final HeraldMessageProducer producer;
        final HeraldDestination destination;
        final int partition;
        final boolean persistent;
        final String key;
        final RecordBatch.Builder batch;
        final CompletableFuture<Frame> answer = new CompletableFuture<>();
        int bytes;

        Pending(HeraldMessageProducer producer, HeraldDestination destination, int partition, boolean persistent,
                String key) {
            this.producer = producer;
            this.destination = destination;
            this.partition = partition;
            this.persistent = persistent;
            this.key = key;
            this.batch = new RecordBatch.Builder(persistent ? RecordBatch.ATTR_PERSISTENT : 0, 4096);
        }

        boolean takes(HeraldMessageProducer p, HeraldDestination d, int part, boolean pers, String k, int size) {
            return producer == p && destination.equals(d) && partition == part && persistent == pers
                    && Objects.equals(key, k) && bytes + size <= MAX_BATCH_BYTES
                    && batch.count() < MAX_BATCH_RECORDS;
        }
    }

    private Pending pending;
    /** This session's asynchronous PRODUCEs sent and not yet answered. */
    private int inFlight;

    /**
     * Sends (or gathers) one asynchronous send's record.
     *
     * @return the answer the message's CompletionListener follows
     */
    synchronized CompletableFuture<Frame> send(HeraldMessageProducer producer, HeraldDestination destination,
                                               int partition, boolean persistent, long timestamp, String key,
                                               Buffer encoded, int size) {
        if (pending != null && pending.takes(producer, destination, partition, persistent, key, size)) {
            pending.batch.add(timestamp, key, encoded);
            pending.bytes += size;
            return pending.answer;
        }
        flush();
        Pending p = new Pending(producer, destination, partition, persistent, key);
        p.batch.add(timestamp, key, encoded);
        p.bytes = size;
        pending = p;
        if (inFlight == 0) {
            flush(); // nothing to wait for: a lone send goes out at once
        }
        return p.answer;
    }

    /** Sends the pending batch, if any: before any other send of the session, and when an answer arrives. */
    synchronized void flush() {
        Pending p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        inFlight++;
        CompletableFuture<Frame> sent;
        try {
            sent = p.producer.request(p.destination, p.partition, p.batch, true);
        } catch (RuntimeException e) {
            inFlight--;
            p.answer.completeExceptionally(e);
            return;
        }
        sent.whenComplete((frame, error) -> {
            answered();
            if (error != null) {
                p.answer.completeExceptionally(error);
            } else {
                p.answer.complete(frame);
            }
        });
    }

    private synchronized void answered() {
        inFlight--;
        flush();
    }
}
