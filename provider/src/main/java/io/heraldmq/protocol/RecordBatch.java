package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The record batch: the unit a producer sends, the log stores and the broker reads back. The bytes a producer encodes
 * are the bytes on disk and the records a consumer receives are slices of them; the broker only fills in
 * {@code baseOffset} and {@code leaderEpoch}, which lie outside the CRC so that costs no re-checksum.
 * <p>
 * Batch layout (big-endian):
 * <pre>
 * offset size field
 * 0      8    baseOffset       offset of the first record; set by the broker on append (producers write 0)
 * 8      4    batchLength      bytes after this field, so the batch is 12 + batchLength bytes
 * 12     4    leaderEpoch      epoch of the partition leader that appended it; producers write -1
 * 16     1    magic            format version, {@link #MAGIC}
 * 17     4    crc              CRC32C of every byte from offset 21 to the end of the batch
 * 21     2    attributes       bit 0 (1) {@link #ATTR_PERSISTENT}: acknowledge only after fsync;
 *                                 bit 1 (2) {@link #ATTR_CONTROL}: written by the broker, not a message (a
 *                                 replicated partition's leader-epoch marker); never delivered, refused from
 *                                 clients;
 *                                 bit 2 (4) {@link #ATTR_IDEMPOTENT}: (producerId, baseSequence) identify the batch
 *                                 for de-duplication (an idempotent producer's send); never set on a transaction's
 *                                 batches;
 *                                 bits 3-15: zero
 * 23     4    lastOffsetDelta  recordCount - 1
 * 27     8    firstTimestamp   timestamp of the first record (ms since the epoch)
 * 35     8    maxTimestamp     largest record timestamp
 * 43     8    producerId       -1; the transaction's producer id when sent in a COMMIT ({@link Commit}); the
 *                                 idempotent producer's id (0 to 2^63-1) with {@link #ATTR_IDEMPOTENT}
 * 51     4    baseSequence     -1; the transaction's sequence when sent in a COMMIT; with
 *                                 {@link #ATTR_IDEMPOTENT} the producer's batch sequence: 0 for its first batch, one
 *                                 more for each next batch it sends (to any destination or partition)
 * 55     4    recordCount      at least 1
 * 59     ...  records
 * </pre>
 * Record layout:
 * <pre>
 * offset size field
 * 0      4    length       bytes after this field
 * 4      4    offsetDelta  record offset - baseOffset; records are in order, deltas 0, 1, 2, ...
 * 8      8    timestamp    ms since the epoch
 * 16     4    keyLength    -1 = no key
 * 20     k    key          UTF-8; routes the record to a partition (JMSXGroupID)
 * 20+k   ...  message      the message, see {@link WireMessage}
 * </pre>
 */
public final class RecordBatch {
    public static final byte MAGIC = 1;
    public static final int HEADER_BYTES = 59;
    /** Bytes of a record before its key. */
    public static final int RECORD_HEADER_BYTES = 20;
    /** Bytes of the fixed part before {@code batchLength}'s count starts. */
    public static final int LOG_OVERHEAD = 12;
    public static final short ATTR_PERSISTENT = 1;
    /**
     * The batch is the broker's own, not messages: a new leader's epoch marker. Its records occupy offsets and are
     * settled as read by every subscription.
     */
    public static final short ATTR_CONTROL = 2;
    /**
     * The batch comes from an idempotent producer: (producerId, baseSequence) name it, so that a broker that
     * already stored it (the send was retried after a lost connection) answers with the stored copy's offset instead
     * of storing it again. Within one partition a producer's sequences only grow (gaps are normal: its other
     * batches went to other partitions). Transactions use the same two header fields with their own meaning (one
     * (producerId, sequence) per commit, shared by its batches) and never set this bit, so neither reading can be
     * mistaken for the other.
     */
    public static final short ATTR_IDEMPOTENT = 4;

    static final int BASE_OFFSET = 0;
    static final int BATCH_LENGTH = 8;
    static final int LEADER_EPOCH = 12;
    static final int MAGIC_POS = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int FIRST_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int BASE_SEQUENCE = 51;
    static final int RECORD_COUNT = 55;

    private RecordBatch() {
    }

    public static long baseOffset(Buffer batch) {
        return batch.getLong(BASE_OFFSET);
    }

    public static void setBaseOffset(Buffer batch, long offset) {
        batch.setLong(BASE_OFFSET, offset);
    }

    public static int leaderEpoch(Buffer batch) {
        return batch.getInt(LEADER_EPOCH);
    }

    public static void setLeaderEpoch(Buffer batch, int epoch) {
        batch.setInt(LEADER_EPOCH, epoch);
    }

    /** Total size of the batch that starts at {@code pos}, from its length field. */
    public static int sizeAt(Buffer buffer, int pos) {
        return LOG_OVERHEAD + buffer.getInt(pos + BATCH_LENGTH);
    }

    public static long producerId(Buffer batch) {
        return batch.getLong(PRODUCER_ID);
    }

    public static int baseSequence(Buffer batch) {
        return batch.getInt(BASE_SEQUENCE);
    }

    /**
     * Whether the batch was sent by the transaction (producerId, sequence); reads only the header. An idempotent
     * producer's batch never belongs to a transaction, whatever its header numbers.
     */
    public static boolean belongsTo(Buffer buffer, int pos, long producerId, int sequence) {
        return (buffer.getShort(pos + ATTRIBUTES) & ATTR_IDEMPOTENT) == 0
                && buffer.getLong(pos + PRODUCER_ID) == producerId && buffer.getInt(pos + BASE_SEQUENCE) == sequence;
    }

    /** Whether (producerId, baseSequence) identify the batch for de-duplication ({@link #ATTR_IDEMPOTENT}). */
    public static boolean isIdempotent(Buffer batch) {
        return (attributes(batch) & ATTR_IDEMPOTENT) != 0;
    }

    public static int recordCount(Buffer batch) {
        return batch.getInt(RECORD_COUNT);
    }

    public static long lastOffset(Buffer batch) {
        return baseOffset(batch) + batch.getInt(LAST_OFFSET_DELTA);
    }

    /** The offset the next batch after this one starts at. */
    public static long nextOffset(Buffer batch) {
        return lastOffset(batch) + 1;
    }

    public static long firstTimestamp(Buffer batch) {
        return batch.getLong(FIRST_TIMESTAMP);
    }

    public static long maxTimestamp(Buffer batch) {
        return batch.getLong(MAX_TIMESTAMP);
    }

    public static short attributes(Buffer batch) {
        return batch.getShort(ATTRIBUTES);
    }

    public static boolean isControl(Buffer batch) {
        return (attributes(batch) & ATTR_CONTROL) != 0;
    }

    public static boolean isPersistent(Buffer batch) {
        return (attributes(batch) & ATTR_PERSISTENT) != 0;
    }

    public static int storedCrc(Buffer batch) {
        return batch.getInt(CRC);
    }

    /** CRC32C over bytes [21, end) of the batch. */
    public static int computeCrc(Buffer batch) {
        CRC32C crc = new CRC32C();
        ByteBuffer nio = batch.getByteBuf().nioBuffer(ATTRIBUTES, batch.length() - ATTRIBUTES);
        crc.update(nio);
        return (int) crc.getValue();
    }

    /**
     * Checks that {@code batch} is exactly one well-formed batch: sizes consistent, magic known, CRC right, records
     * contiguous with offset deltas 0..n-1, none larger than {@code maxRecordBytes}.
     *
     * @throws ProtocolException with {@link ErrorCode#MESSAGE_TOO_LARGE} for an oversized record, otherwise
     *                           {@link ErrorCode#PROTOCOL_ERROR} naming what is wrong
     */
    public static void validate(Buffer batch, int maxRecordBytes) {
        String problem = check(batch);
        if (problem != null) {
            throw new ProtocolException("malformed record batch: " + problem);
        }
        if (isControl(batch)) {
            throw new ProtocolException("malformed record batch: control batches are the broker's own");
        }
        if (isIdempotent(batch) && (producerId(batch) < 0 || baseSequence(batch) < 0)) {
            throw new ProtocolException("malformed record batch: an idempotent batch needs a producer id and a"
                    + " sequence of at least 0");
        }
        int pos = HEADER_BYTES;
        int count = recordCount(batch);
        for (int i = 0; i < count; i++) {
            int length = batch.getInt(pos);
            if (length + 4 > maxRecordBytes) {
                throw new ProtocolException(ErrorCode.MESSAGE_TOO_LARGE, "message of " + (length + 4)
                        + " bytes exceeds the maximum message size of " + maxRecordBytes + " bytes");
            }
            pos += 4 + length;
        }
    }

    /**
     * Structural and CRC check without exceptions, for recovery.
     *
     * @return null if the batch is sound, else what is wrong
     */
    public static String check(Buffer batch) {
        if (batch.length() < HEADER_BYTES) {
            return "only " + batch.length() + " bytes";
        }
        if (sizeAt(batch, 0) != batch.length()) {
            return "length field says " + sizeAt(batch, 0) + " bytes, batch has " + batch.length();
        }
        if (batch.getByte(MAGIC_POS) != MAGIC) {
            return "unknown magic " + batch.getByte(MAGIC_POS);
        }
        if (computeCrc(batch) != storedCrc(batch)) {
            return "CRC mismatch";
        }
        int count = recordCount(batch);
        if (count < 1 || batch.getInt(LAST_OFFSET_DELTA) != count - 1) {
            return "record count " + count + " does not match last offset delta " + batch.getInt(LAST_OFFSET_DELTA);
        }
        int pos = HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            if (batch.length() - pos < RECORD_HEADER_BYTES) {
                return "record " + i + " truncated";
            }
            int length = batch.getInt(pos);
            if (length < RECORD_HEADER_BYTES - 4 || length > batch.length() - pos - 4) {
                return "record " + i + " has bad length " + length;
            }
            if (batch.getInt(pos + 4) != i) {
                return "record " + i + " has offset delta " + batch.getInt(pos + 4);
            }
            int keyLength = batch.getInt(pos + 16);
            if (keyLength < -1 || keyLength > length - (RECORD_HEADER_BYTES - 4)) {
                return "record " + i + " has bad key length " + keyLength;
            }
            pos += 4 + length;
        }
        if (pos != batch.length()) {
            return (batch.length() - pos) + " bytes after the last record";
        }
        return null;
    }

    /** Receives the records of a batch. */
    public interface RecordVisitor {
        /**
         * @param offset absolute offset (baseOffset + offsetDelta)
         * @param record slice of the batch from the record's length field to its end
         */
        void record(long offset, Buffer record);
    }

    /** Visits every record of a well-formed batch in order, as slices of it. */
    public static void forEachRecord(Buffer batch, RecordVisitor visitor) {
        long base = baseOffset(batch);
        int count = recordCount(batch);
        int pos = HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            int end = pos + 4 + batch.getInt(pos);
            visitor.record(base + batch.getInt(pos + 4), batch.slice(pos, end));
            pos = end;
        }
    }

    // ---- accessors on one record slice (starting at its length field) ----

    public static long recordTimestamp(Buffer record) {
        return record.getLong(8);
    }

    /** @return the key, or null */
    public static String recordKey(Buffer record) {
        int keyLength = record.getInt(16);
        return keyLength < 0 ? null
                : record.getString(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + keyLength, "UTF-8");
    }

    /** Where the message starts within the record. */
    public static int messageStart(Buffer record) {
        int keyLength = record.getInt(16);
        return RECORD_HEADER_BYTES + Math.max(keyLength, 0);
    }

    /** The message part of a record, as a slice. */
    public static Buffer message(Buffer record) {
        return record.slice(messageStart(record), record.length());
    }

    /** The size a record with this key and message takes in a batch, including its length field. */
    public static int recordBytes(String key, Buffer message) {
        int keyLength = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
        return RECORD_HEADER_BYTES + keyLength + message.length();
    }

    /** Builds one batch on the producer side. Not thread-safe. */
    public static final class Builder {
        private final Buffer buffer;
        private short attributes;
        private int count;
        private long producerId = -1;
        private int baseSequence = -1;
        private long firstTimestamp;
        private long maxTimestamp;

        public Builder(short attributes, int sizeHint) {
            this.attributes = attributes;
            this.buffer = Buffer.buffer(HEADER_BYTES + sizeHint);
            buffer.appendBytes(new byte[HEADER_BYTES]);
        }

        /**
         * @param key     routing key, or null
         * @param message encoded message (see {@link WireMessage})
         * @return the size of the record just added, including its length field
         */
        public int add(long timestamp, String key, Buffer message) {
            byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            int keyLength = keyBytes == null ? 0 : keyBytes.length;
            int length = RECORD_HEADER_BYTES - 4 + keyLength + message.length();
            buffer.appendInt(length).appendInt(count).appendLong(timestamp);
            if (keyBytes == null) {
                buffer.appendInt(-1);
            } else {
                buffer.appendInt(keyBytes.length).appendBytes(keyBytes);
            }
            buffer.appendBuffer(message);
            if (count == 0) {
                firstTimestamp = timestamp;
            }
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            count++;
            return length + 4;
        }

        public int count() {
            return count;
        }

        /** Marks the batch as sent by a transaction (see {@link Commit}); they lie inside the CRC, so before build. */
        public Builder transaction(long producerId, int sequence) {
            this.producerId = producerId;
            this.baseSequence = sequence;
            return this;
        }

        /**
         * Marks the batch as an idempotent producer's ({@link #ATTR_IDEMPOTENT}): {@code producerId} at least 0,
         * {@code sequence} its next batch number. Before build, like {@link #transaction}.
         */
        public Builder idempotent(long producerId, int sequence) {
            if (producerId < 0 || sequence < 0) {
                throw new IllegalArgumentException("producer id and sequence must be at least 0");
            }
            this.producerId = producerId;
            this.baseSequence = sequence;
            this.attributes |= ATTR_IDEMPOTENT;
            return this;
        }

        /** Bytes so far, header included. */
        public int bytes() {
            return buffer.length();
        }

        public Buffer build() {
            if (count == 0) {
                throw new IllegalStateException("empty batch");
            }
            buffer.setLong(BASE_OFFSET, 0)
                    .setInt(BATCH_LENGTH, buffer.length() - LOG_OVERHEAD)
                    .setInt(LEADER_EPOCH, -1)
                    .setByte(MAGIC_POS, MAGIC)
                    .setShort(ATTRIBUTES, attributes)
                    .setInt(LAST_OFFSET_DELTA, count - 1)
                    .setLong(FIRST_TIMESTAMP, firstTimestamp)
                    .setLong(MAX_TIMESTAMP, maxTimestamp)
                    .setLong(PRODUCER_ID, producerId)
                    .setInt(BASE_SEQUENCE, baseSequence)
                    .setInt(RECORD_COUNT, count);
            buffer.setInt(CRC, computeCrc(buffer));
            return buffer;
        }
    }
}
