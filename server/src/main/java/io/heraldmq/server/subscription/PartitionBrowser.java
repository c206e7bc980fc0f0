package io.heraldmq.server.subscription;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A queue browser's private cursor in one partition of the queue: it reads from the queue's committed position up
 * to the log end as it was when the browser started, and sends, within its credit, every record that is still in
 * the queue: not settled, not expired, due (JMSDeliveryTime reached) and accepted by the browser's selector. Records
 * delivered to a consumer but not yet acknowledged are still in the queue and are shown. Nothing is settled, nothing
 * is counted: browsing consumes nothing. At the end it tells its consumer, which sends the end marker once every
 * partition is done. Runs on the partition's context.
 */
final class PartitionBrowser {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionBrowser.class);

    private final PartitionSubscription queue;
    private final Partition partition;
    private final ConsumerLink link;
    private final RecordCursor cursor = new RecordCursor();
    private final long end;
    private long readOffset;
    private boolean loading;
    private boolean done;

    PartitionBrowser(PartitionSubscription queue, ConsumerLink link, long start, long end) {
        this.queue = queue;
        this.partition = queue.partition();
        this.link = link;
        this.readOffset = start;
        this.end = end;
    }

    void dispatch() {
        if (loading || done) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            while (link.credit > 0) {
                if (readOffset >= end) {
                    finish();
                    return;
                }
                if (!cursor.advance(readOffset)) {
                    Future<Buffer> read = partition.read(readOffset);
                    if (read.isComplete() && read.succeeded()) {
                        if (read.result().length() == 0) {
                            finish();
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
                            LOG.warn("browse read of {}-{} at {} failed", partition.topic(), partition.id(), readOffset,
                                    ar.cause());
                            finish();
                        }
                    });
                    return;
                }
                long offset = cursor.offset();
                Buffer record = cursor.record();
                readOffset = offset + 1;
                if (offset >= end) {
                    finish();
                    return;
                }
                if (queue.isSettled(offset) || cursor.control()) {
                    continue;
                }
                Buffer message = RecordBatch.message(record);
                long expiration = WireMessage.expiration(message);
                if ((expiration != 0 && expiration <= now) || WireMessage.deliveryTime(message) > now
                        || !link.filter.accept(message)) {
                    continue;
                }
                link.deliver(partition.id(), offset, queue.deliveryCount(offset), record, 1);
            }
        } finally {
            link.flush();
        }
    }

    private void finish() {
        if (!done) {
            done = true;
            link.flush();
            link.consumer.browseEnded();
        }
    }

    /** The browser closed: stop reading. */
    void close() {
        done = true;
    }
}
