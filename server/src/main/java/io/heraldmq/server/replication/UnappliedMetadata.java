package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.OffsetCheckpointFile;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The metadata records (subscription positions, definitions, deletions) in a replica's log that this broker has not
 * yet applied to its own store, and the durable point below which it has.
 * <p>
 * A record is applied only once the high watermark passes it, so a broker can crash holding records in its log that
 * it never applied: a follower that fetched a subscription's start position and was killed before it learned that
 * the position was committed. Were those records forgotten, that broker, once leader, would not know the
 * subscription (or where it starts) and would begin it at the log end, losing everything before. So the backlog is
 * rebuilt at open by reading the log from the checkpoint up to its end.
 * <p>
 * <b>Invariant:</b> every metadata record below the checkpoint is applied and durable in the store (the checkpoint
 * is written only after the store synced what was applied when the checkpoint was taken, see
 * {@link #checkpointCandidate} and {@link #writeCheckpoint}). Records at or above it are re-read at open and applied
 * again in log order, which the store tolerates: applying a record is setting a value, and log order is the order
 * the leader made the changes in. A broker that re-applies its own old positions moves a subscription back to a
 * position it once committed: messages may come again, none is lost.
 * <p>
 * File {@value #CHECKPOINT_FILE} in the partition's directory, an {@link OffsetCheckpointFile}; absent (or corrupt)
 * means "read the whole log", which is always safe. Context: the partition's, except the blocking methods.
 */
final class UnappliedMetadata {
    static final String CHECKPOINT_FILE = "metadata-applied";

    /** A metadata record in the log, and the offset of its batch. */
    private record Entry(long offset, ControlRecord record) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final OffsetCheckpointFile checkpoint;
    private volatile long written;

    private UnappliedMetadata(Path partitionDir, long written) {
        this.checkpoint = new OffsetCheckpointFile(partitionDir.resolve(CHECKPOINT_FILE));
        this.written = written;
    }

    /**
     * Reads the checkpoint (on a worker) and then the log from there to its end, collecting its metadata records.
     * Context: the partition's; completes on it. Nothing may append to the partition meanwhile.
     */
    static Future<UnappliedMetadata> recover(Partition partition) {
        Path dir = partition.directory();
        return partition.context().owner().executeBlocking(() -> {
            OptionalLong at = new OffsetCheckpointFile(dir.resolve(CHECKPOINT_FILE)).read();
            return at.isPresent() ? at.getAsLong() : -1L;
        }, false).compose(at -> {
            UnappliedMetadata backlog = new UnappliedMetadata(dir, Math.max(at, 0));
            Promise<UnappliedMetadata> done = Promise.promise();
            backlog.scan(partition, Math.max(at, partition.logStartOffset()), done);
            return done.future();
        });
    }

    private void scan(Partition partition, long from, Promise<UnappliedMetadata> done) {
        if (from >= partition.logEndOffset()) {
            done.complete(this);
            return;
        }
        partition.read(from).onComplete(ar -> partition.run(() -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            Buffer batches = ar.result();
            if (batches.length() == 0) {
                done.complete(this);
                return;
            }
            long next = from;
            int pos = 0;
            while (pos + RecordBatch.HEADER_BYTES <= batches.length()) {
                int size = RecordBatch.sizeAt(batches, pos);
                Buffer batch = batches.slice(pos, pos + size);
                // the read starts at the batch holding {@code from}: skip batches before it
                if (RecordBatch.nextOffset(batch) > from) {
                    collectBatch(batch);
                    next = RecordBatch.nextOffset(batch);
                }
                pos += size;
            }
            if (next <= from) {
                done.complete(this);
                return;
            }
            scan(partition, next, done);
        }));
    }

    /** Takes note of the metadata records in batches just appended to the log (fetched from the leader). */
    void collect(Buffer batches) {
        int pos = 0;
        while (pos + RecordBatch.HEADER_BYTES <= batches.length()) {
            int size = RecordBatch.sizeAt(batches, pos);
            collectBatch(batches.slice(pos, pos + size));
            pos += size;
        }
    }

    private void collectBatch(Buffer batch) {
        if (RecordBatch.isControl(batch)) {
            long offset = RecordBatch.baseOffset(batch);
            for (ControlRecord r : ControlRecord.decode(batch)) {
                entries.add(new Entry(offset, r));
            }
        }
    }

    /** Applies, in log order, the records below the high watermark. */
    void applyBelow(long highWatermark, Consumer<ControlRecord> apply) {
        while (!entries.isEmpty() && entries.peek().offset() < highWatermark) {
            apply.accept(entries.poll().record());
        }
    }

    /** The log was cut at {@code offset}: what was above it is gone, and was never committed. */
    void truncated(long offset) {
        entries.removeIf(e -> e.offset() >= offset);
    }

    /**
     * The offset below which every metadata record has been handed to the store, or -1 if the checkpoint already
     * says as much. Valid as a checkpoint once the store has synced what it was handed (see the class invariant).
     */
    long checkpointCandidate(long highWatermark) {
        long below = entries.isEmpty() ? highWatermark : Math.min(highWatermark, entries.peek().offset());
        return below > written ? below : -1;
    }

    /** Blocking, on a worker: records {@code offset} durably as the new checkpoint. */
    void writeCheckpoint(long offset) throws IOException {
        checkpoint.write(offset);
        written = offset;
    }

    int size() {
        return entries.size();
    }
}
