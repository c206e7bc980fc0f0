package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * PING and PONG: heartbeats, so that each side notices a peer that went silent (crashed host, cut network, a client
 * that stopped reading) without waiting for TCP. Both have an empty body and correlation id 0:
 * <pre>
 * int32 length = 5 | byte type (PING = 25, PONG = 26) | int32 correlationId = 0
 * </pre>
 * A client that announced a heartbeat interval in CONNECT sends PING whenever it has written nothing for that long;
 * the broker answers every PING with PONG, and closes a connection it heard nothing from for
 * {@code heartbeat.missed.max} intervals. The client takes a broker it heard nothing from (no frame, no PONG) for
 * three intervals as lost and fails over. Only the client pings, so an idle connection costs one small frame each
 * way per interval.
 */
public final class Heartbeat {
    private Heartbeat() {
    }

    public static Buffer ping() {
        return Frame.finish(Frame.start(FrameType.PING, 0, 0));
    }

    public static Buffer pong() {
        return Frame.finish(Frame.start(FrameType.PONG, 0, 0));
    }
}
