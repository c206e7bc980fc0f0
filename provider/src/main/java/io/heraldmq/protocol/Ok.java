package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/** OK: a request without a specific answer succeeded. Empty body. */
public final class Ok {
    private Ok() {
    }

    public static Buffer encode(int correlationId) {
        return Frame.finish(Frame.start(FrameType.OK, correlationId, 0));
    }
}
