package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * XA_RECOVER: asks for every branch a transaction manager may still have to complete: the prepared ones and those an
 * operator completed heuristically and nobody forgot yet. Empty body; answered by {@link XaXids}.
 */
public final class XaRecover {
    private XaRecover() {
    }

    public static Buffer encode(int correlationId) {
        return Frame.finish(Frame.start(FrameType.XA_RECOVER, correlationId, 0));
    }

    public static void decode(Buffer body) {
        new Wire.Cursor(body).expectEnd();
    }
}
