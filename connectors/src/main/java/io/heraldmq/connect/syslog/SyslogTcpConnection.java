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
    private boolean closed;

    SyslogTcpConnection(NetSocket socket, Context context, int maxBytes, SyslogRecords records, Publisher publisher) {
        this.socket = socket;
        this.context = context;
        this.framer = new SyslogFramer(maxBytes);
        this.records = records;
        this.publisher = publisher;
        this.peer = String.valueOf(socket.remoteAddress());
    }

    void start() {
        socket.handler(this::received);
        socket.closeHandler(v -> closed = true);
    }

    private void received(Buffer b) {
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
                socket.pause();
                publisher.whenRoom(() -> context.runOnContext(v -> retry()));
            }
        }
    }

    private void retry() {
        if (closed) {
            return;
        }
        if (!publisher.offer(waiting)) {
            publisher.whenRoom(() -> context.runOnContext(v -> retry()));
            return;
        }
        waiting = null;
        drain();
        if (waiting == null && !closed) {
            socket.resume();
        }
    }
}
