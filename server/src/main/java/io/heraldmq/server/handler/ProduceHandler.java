package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Produce;
import io.heraldmq.protocol.ProduceAck;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.DiskSpaceMonitor;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.security.ConnectionAccess;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.security.UserIdStamp;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.TimeUnit;

/**
 * PRODUCE: validates the batch on the connection's event loop (so checksum work spreads over connections), routes it
 * to a partition and appends it there. The batch bytes go to the log as they came. A persistent batch is answered
 * once it is durable; a non-persistent one that asks for an answer (a producer's window marker) is answered once the
 * partition's consumers are not backed up. The connection stops reading while too many bytes are on their way to
 * partitions, so one producer cannot fill the broker's memory. While the disk is nearly full
 * ({@link DiskSpaceMonitor}) every batch is refused with RESOURCE_EXHAUSTED, as is one whose write fails.
 * <p>
 * With users configured the connection's user needs {@code send} on the destination, and {@code createDestination}
 * if it does not exist yet (NOT_AUTHORIZED otherwise; the connection stays). With JMSXUserID populated, a batch not
 * stamped with the user is rewritten before it is stored ({@link UserIdStamp}).
 */
public final class ProduceHandler implements RequestHandler {
    private final AutoCreation destinations;
    private final int maxMessageBytes;
    private final DiskSpaceMonitor disk;
    /** From the frame's arrival to its answer (a persistent batch's after its fsync); thread-safe. */
    private final Timer latency;

    public ProduceHandler(AutoCreation destinations, int maxMessageBytes, DiskSpaceMonitor disk) {
        this(destinations, maxMessageBytes, disk, null);
    }

    /** @param latency records each answered PRODUCE's time from arrival to answer; null for none */
    public ProduceHandler(AutoCreation destinations, int maxMessageBytes, DiskSpaceMonitor disk, Timer latency) {
        this.latency = latency;
        this.destinations = destinations;
        this.maxMessageBytes = maxMessageBytes;
        this.disk = disk;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        long arrived = System.nanoTime();
        Produce produce = Produce.decode(frame.body());
        RecordBatch.validate(produce.batch(), maxMessageBytes);
        int correlationId = frame.correlationId();
        String diskFull = disk.refusal();
        if (diskFull != null) {
            connection.replyError(correlationId, ErrorCode.RESOURCE_EXHAUSTED, diskFull);
            return;
        }
        ConnectionAccess access = connection.access();
        access.check(Permission.SEND, produce.kind(), produce.destination());
        Buffer batch = access.stampsUserId() ? UserIdStamp.apply(produce.batch(), access.user()) : produce.batch();
        Future<Topic> lookup = destinations.get(connection, produce.kind(), produce.destination());
        connection.inOrder(lookup, () -> {
            if (lookup.failed()) {
                connection.replyFailure(correlationId, lookup.cause());
                return;
            }
            Topic topic = lookup.result();
            Partition partition = topic.partitionFor(produce.partition(), batch);
            if (partition == null) {
                connection.replyError(correlationId, ErrorCode.INVALID_DESTINATION, "partition "
                        + produce.partition() + " does not exist in " + topic);
                return;
            }
            boolean durable = RecordBatch.isPersistent(batch);
            int bytes = batch.length();
            connection.producing(bytes);
            // A durable batch completes on the flush thread (GroupCommit): only thread-safe calls in here, except in
            // the non-durable branch, which completes on the partition's context.
            partition.run(() -> partition.append(batch, durable).onComplete(appended -> {
                connection.produced(bytes);
                if (appended.failed()) {
                    connection.replyFailure(correlationId, appended.cause());
                } else if (produce.ackRequested()) {
                    Buffer ack = new ProduceAck(partition.id(), appended.result()).encode(correlationId);
                    if (durable) {
                        connection.send(ack);
                        if (latency != null) {
                            latency.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
                        }
                    } else {
                        // A non-persistent producer's window marker: the answer paces it to the consumers.
                        partition.whenConsumersCaughtUp(() -> connection.send(ack));
                    }
                }
            }));
        });
    }
}
