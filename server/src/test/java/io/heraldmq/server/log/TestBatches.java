package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

final class TestBatches {
    private TestBatches() {
    }

    /** A batch of {@code records} records, each with {@code payload} bytes, all stamped {@code timestamp}. */
    static Buffer batch(int records, int payload, long timestamp) {
        RecordBatch.Builder builder = new RecordBatch.Builder((short) 0, records * (payload + 32));
        for (int i = 0; i < records; i++) {
            byte[] bytes = new byte[payload];
            for (int j = 0; j < payload; j++) {
                bytes[j] = (byte) (i * 31 + j);
            }
            builder.add(timestamp, i % 2 == 0 ? null : "k" + i, Buffer.buffer(bytes));
        }
        return builder.build();
    }

    /** Splits a read result into its batches. */
    static List<Buffer> split(Buffer batches) {
        List<Buffer> out = new ArrayList<>();
        int pos = 0;
        while (pos < batches.length()) {
            int size = RecordBatch.sizeAt(batches, pos);
            out.add(batches.slice(pos, pos + size));
            pos += size;
        }
        return out;
    }
}
