package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.ConcurrentSkipListMap;

// STAND-IN: replaced by helper/log at merge. One file, no segments, full scan on open.
public final class PartitionLog implements AutoCloseable {
    private final FileChannel channel;
    private final ConcurrentSkipListMap<Long, long[]> positions = new ConcurrentSkipListMap<>();
    private volatile long end;
    private volatile long filePos;
    private volatile long durable;

    private PartitionLog(FileChannel channel) {
        this.channel = channel;
    }

    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        PartitionLog log = new PartitionLog(ch);
        long pos = 0;
        long size = ch.size();
        while (pos + 12 <= size) {
            ByteBuffer head = ByteBuffer.allocate(12);
            ch.read(head, pos);
            int len = head.getInt(8) + 12;
            if (len < RecordBatch.HEADER_BYTES || pos + len > size) {
                break;
            }
            ByteBuffer all = ByteBuffer.allocate(len);
            ch.read(all, pos);
            Buffer b = Buffer.buffer(all.array());
            if (RecordBatch.check(b) != null) {
                break;
            }
            log.positions.put(RecordBatch.baseOffset(b), new long[]{pos, len});
            log.end = RecordBatch.nextOffset(b);
            pos += len;
        }
        ch.truncate(pos);
        log.filePos = pos;
        log.durable = log.end;
        return log;
    }

    public long append(Buffer batch, int leaderEpoch) throws IOException {
        long base = end;
        RecordBatch.setBaseOffset(batch, base);
        RecordBatch.setLeaderEpoch(batch, leaderEpoch);
        ByteBuffer nio = batch.getByteBuf().nioBuffer();
        long pos = filePos;
        while (nio.hasRemaining()) {
            pos += channel.write(nio, pos);
        }
        positions.put(base, new long[]{filePos, batch.length()});
        filePos = pos;
        end = RecordBatch.nextOffset(batch);
        return base;
    }

    public Buffer read(long offset, int maxBytes) throws IOException {
        var e = positions.floorEntry(offset);
        if (e == null) {
            e = positions.ceilingEntry(offset);
        }
        if (e == null || offset >= end) {
            return Buffer.buffer(0);
        }
        Buffer out = Buffer.buffer();
        for (var entry : positions.tailMap(e.getKey(), true).values()) {
            ByteBuffer bb = ByteBuffer.allocate((int) entry[1]);
            channel.read(bb, entry[0]);
            out.appendBytes(bb.array());
            if (out.length() >= maxBytes) {
                break;
            }
        }
        return out;
    }

    public long flush() throws IOException {
        long e = end;
        channel.force(false);
        durable = e;
        return e;
    }

    public long logStartOffset() {
        return 0;
    }

    public long logEndOffset() {
        return end;
    }

    public long durableOffset() {
        return durable;
    }

    @Override
    public void close() throws IOException {
        flush();
        channel.close();
    }
}
