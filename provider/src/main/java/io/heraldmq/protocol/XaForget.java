package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * XA_FORGET: forgets a branch an operator completed heuristically ({@code heraldmq tx commit|rollback}), after the
 * transaction manager learned of it. Body: {@link WireXid}. Answered by OK; XA_UNKNOWN_XID when the broker knows no
 * such branch, XA_WRONG_STATE when it is prepared and undecided (only heuristic outcomes are forgotten).
 */
public record XaForget(WireXid xid) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.XA_FORGET, correlationId, xid.encodedBytes());
        xid.write(b);
        return Frame.finish(b);
    }

    public static XaForget decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        XaForget f = new XaForget(WireXid.read(c));
        c.expectEnd();
        return f;
    }
}
