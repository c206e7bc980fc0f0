package io.heraldmq.server.replication;

import io.heraldmq.protocol.ProtocolException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

import java.util.function.Consumer;

/**
 * Cuts a replication connection's byte stream into {@link ReplicationFrame}s. A bad length or an unknown type is a
 * {@link ProtocolException} for the caller, who closes that connection.
 */
final class ReplicationFrameParser implements Handler<Buffer> {
    private final RecordParser parser;
    private boolean header = true;

    ReplicationFrameParser(Consumer<ReplicationFrame> sink) {
        parser = RecordParser.newFixed(4);
        parser.handler(chunk -> {
            if (header) {
                int length = chunk.getInt(0);
                if (length < 5 || length > ReplicationFrame.MAX_FRAME_BYTES) {
                    throw new ProtocolException("bad replication frame length " + length);
                }
                header = false;
                parser.fixedSizeMode(length);
            } else {
                ReplicationFrameType type = ReplicationFrameType.of(chunk.getByte(0));
                if (type == null) {
                    throw new ProtocolException("unknown replication frame type " + chunk.getByte(0));
                }
                header = true;
                parser.fixedSizeMode(4);
                sink.accept(new ReplicationFrame(type, chunk.getInt(1), chunk.slice(5, chunk.length())));
            }
        });
    }

    @Override
    public void handle(Buffer chunk) {
        parser.handle(chunk);
    }
}
