package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * XA_XIDS: the answer to {@link XaRecover}. Body:
 * <pre>
 * int32 count
 * count times: {@link WireXid}
 * </pre>
 */
public record XaXids(List<WireXid> xids) {
    public XaXids {
        xids = List.copyOf(xids);
    }

    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.XA_XIDS, correlationId, 4 + xids.size() * 40);
        b.appendInt(xids.size());
        for (WireXid x : xids) {
            x.write(b);
        }
        return Frame.finish(b);
    }

    public static XaXids decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        int count = c.readInt();
        if (count < 0 || count > c.remaining() / 6) {
            throw new ProtocolException("bad XA_XIDS count " + count);
        }
        List<WireXid> xids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            xids.add(WireXid.read(c));
        }
        c.expectEnd();
        return new XaXids(xids);
    }
}
