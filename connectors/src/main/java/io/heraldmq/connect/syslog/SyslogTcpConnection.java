package io.heraldmq.connect.syslog;

import io.heraldmq.connect.LineSplitter;
import io.heraldmq.connect.publish.OutboundRecord;
import io.heraldmq.connect.publish.Publisher;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One syslog TCP connection, on its Vert.x event loop: frames what arrives ({@link SyslogFramer}) and offers each
 * message to the publisher without ever blocking. When the publisher's window is full the socket is paused (the
 * kernel's buffers fill and the sender's {@code write} blocks: TCP backpressure) with the refused record and the
 * unread frames kept here, and resumed once the window has room again.
 */
final class SyslogTcpConnection {
    private static final System.Logger LOG = System.getLogger(SyslogTcpConnection.class.getName());

    private final NetSocket socket;
    private final Context context;
    private final SyslogFramer framer;
    private final SyslogRecords records;
    private final Publisher publisher;
    private final String peer;
    private OutboundRecord waiting;
    /** Closed by us after a framing error: nothing more of this connection is published. */
    private boolean closed;

    /** Tells the source when this connection last received input and whether it holds some back, for a clean stop. */
    interface Activity {
        void touched();

        /** The connection paused (true) or resumed or closed while paused (false). */
        void paused(boolean paused);
    }

    private final Activity activity;

    SyslogTcpConnection(NetSocket socket, Context context, int maxBytes, SyslogRecords records, Publisher publisher,
                        Activity activity) {
        this.activity = activity;
        this.socket = socket;
        this.context = context;
        this.framer = new SyslogFramer(maxBytes);
        this.records = records;
        this.publisher = publisher;
        this.peer = String.valueOf(socket.remoteAddress());
    }

    void start() {
        socket.handler(this::received);
        // No close handler: a sender that closes right after writing must not lose what is held back here. The held
        // record and the frames in the framer are published all the same, and resuming a closed socket still hands
        // over what Vert.x queued while it was paused.
    }

    private void received(Buffer b) {
        activity.touched();
        framer.append(b.getBytes());
        drain();
    }

    /** Offers every complete frame; stops at the first the window refuses. */
    private void drain() {
        while (waiting == null && !closed) {
            LineSplitter.Line frame;
            try {
                frame = framer.next();
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, records.connectorName() + ": closing the syslog connection from "
                        + peer + ": " + e.getMessage());
                records.counters().dropped.incrementAndGet();
                closed = true;
                socket.close();
                return;
            }
            if (frame == null) {
                return;
            }
            OutboundRecord r = records.toRecord(frame, peer);
            if (r != null && !publisher.offer(r)) {
                waiting = r;
                activity.paused(true);
                socket.pause();
                publisher.whenRoom(() -> context.runOnContext(v -> retry()));
            }
        }
    }

    private void retry() {
        if (closed) {
            return;
        }
        activity.touched();
        if (!publisher.offer(waiting)) {
            publisher.whenRoom(() -> context.runOnContext(v -> retry()));
            return;
        }
        waiting = null;
        activity.paused(false);
        drain();
        if (waiting == null && !closed) {
            socket.resume();
        }
    }
}
