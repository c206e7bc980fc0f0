package io.heraldmq.server.security;

import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * {@code security.populate.user.id}: every stored message's {@code JMSXUserID} is the sending connection's user, or
 * absent for an anonymous one, whatever the client put there.
 * <p>
 * Record batches are stored as the producer encoded them, under a CRC, so setting a property means re-encoding the
 * batch. The broker avoids that in the normal case: it tells the client in CONNECTED which value to stamp, the
 * client puts it in every message it encodes, and the broker only checks, in place, that each record carries the
 * property exactly once with exactly that value ({@link #stamped}: a walk over each message's header fields and
 * property names, no allocation). Only a batch that fails the check (an older client, a hand-made batch, a forged
 * value) is rewritten ({@link #rewrite}): decoded, the property set or removed, encoded again with a new CRC, with
 * the same attributes, producer id and sequence (so idempotent retries and transactions still recognise it).
 */
public final class UserIdStamp {
    public static final String PROPERTY = "JMSXUserID";
    private static final byte[] NAME = PROPERTY.getBytes(StandardCharsets.UTF_8);
    private static final int FIXED_BYTES = 27;
    private static final byte T_STRING = 8;
    private static final byte T_LONG_STRING = 11;

    private UserIdStamp() {
    }

    /**
     * The batch to store: {@code batch} itself when it is stamped right, else a rewritten copy.
     *
     * @param user the connection's user; null = anonymous (no JMSXUserID)
     * @throws ProtocolException when a message in the batch is malformed
     */
    public static Buffer apply(Buffer batch, String user) {
        return stamped(batch, user == null ? null : user.getBytes(StandardCharsets.UTF_8)) ? batch
                : rewrite(batch, user);
    }

    /**
     * Whether every record of a well-formed batch has exactly one {@code JMSXUserID}, a string equal to
     * {@code user} (UTF-8), or none when {@code user} is null.
     */
    public static boolean stamped(Buffer batch, byte[] user) {
        int count = RecordBatch.recordCount(batch);
        int pos = RecordBatch.HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            int end = pos + 4 + batch.getInt(pos);
            int keyLength = batch.getInt(pos + 16);
            int message = pos + RecordBatch.RECORD_HEADER_BYTES + Math.max(keyLength, 0);
            if (!stampedMessage(batch, message, end, user)) {
                return false;
            }
            pos = end;
        }
        return true;
    }

    private static boolean stampedMessage(Buffer b, int at, int end, byte[] user) {
        int p = at + FIXED_BYTES;
        p = skipString(b, p, end);                      // messageId
        p = skipSized(b, p, end, need(b, p, end, 4) == 0 ? b.getInt(p) : 0, 4); // correlationId
        p = skipString(b, p, end);                      // type
        p = skipDestination(b, p, end);                 // destination
        p = skipDestination(b, p, end);                 // replyTo
        p = skipString(b, p, end);                      // originConnection
        need(b, p, end, 4);
        int properties = b.getInt(p);
        p += 4;
        int found = 0;
        for (int i = 0; i < properties; i++) {
            need(b, p, end, 2);
            int nameLength = b.getShort(p);
            boolean ours = nameLength == NAME.length && equalsAt(b, p + 2, end, NAME);
            p = skipString(b, p, end);
            need(b, p, end, 1);
            byte tag = b.getByte(p);
            if (ours) {
                found++;
                if (user == null || tag != T_STRING || end - p < 3 || b.getShort(p + 1) != user.length
                        || !equalsAt(b, p + 3, end, user)) {
                    return false;
                }
            }
            p = skipValue(b, p, end);
        }
        return user == null ? found == 0 : found == 1;
    }

    /**
     * The batch re-encoded with every message's {@code JMSXUserID} set to {@code user} (removed for null), keeping
     * attributes, producer id, sequence, timestamps and keys.
     */
    public static Buffer rewrite(Buffer batch, String user) {
        RecordBatch.Builder out = new RecordBatch.Builder(RecordBatch.attributes(batch), batch.length() + 64)
                .transaction(RecordBatch.producerId(batch), RecordBatch.baseSequence(batch));
        RecordBatch.forEachRecord(batch, (offset, record) -> {
            WireMessage m = WireMessage.decode(RecordBatch.message(record));
            if (user == null) {
                m.properties.remove(PROPERTY);
            } else {
                m.properties.put(PROPERTY, user);
            }
            out.add(RecordBatch.recordTimestamp(record), RecordBatch.recordKey(record), m.encode());
        });
        return out.build();
    }

    private static int skipString(Buffer b, int p, int end) {
        need(b, p, end, 2);
        int length = b.getShort(p);
        return length == -1 ? p + 2 : skipSized(b, p, end, length, 2);
    }

    private static int skipDestination(Buffer b, int p, int end) {
        need(b, p, end, 1);
        return b.getByte(p) == -1 ? p + 1 : skipString(b, p + 1, end);
    }

    /** Skips a length field of {@code width} bytes holding {@code length} (-1 = null) and that many bytes. */
    private static int skipSized(Buffer b, int p, int end, int length, int width) {
        if (length == -1) {
            return p + width;
        }
        if (length < 0) {
            throw new ProtocolException("malformed message: negative length " + length);
        }
        need(b, p + width, end, length);
        return p + width + length;
    }

    private static int skipValue(Buffer b, int p, int end) {
        byte tag = b.getByte(p);
        int v = p + 1;
        return switch (tag) {
            case 0 -> v;
            case 1, 2 -> fixed(b, v, end, 1);
            case 3, 10 -> fixed(b, v, end, 2);
            case 4, 6 -> fixed(b, v, end, 4);
            case 5, 7 -> fixed(b, v, end, 8);
            case T_STRING -> skipString(b, v, end);
            case 9, T_LONG_STRING -> skipSized(b, v, end, need(b, v, end, 4) == 0 ? b.getInt(v) : 0, 4);
            default -> throw new ProtocolException("malformed message: unknown value tag " + tag);
        };
    }

    private static int fixed(Buffer b, int p, int end, int n) {
        need(b, p, end, n);
        return p + n;
    }

    /** @return 0, so that it can guard a read in an expression */
    private static int need(Buffer b, int p, int end, int n) {
        if (n < 0 || p > end - n) {
            throw new ProtocolException("malformed message: truncated at byte " + p);
        }
        return 0;
    }

    private static boolean equalsAt(Buffer b, int p, int end, byte[] expected) {
        if (p > end - expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b.getByte(p + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
