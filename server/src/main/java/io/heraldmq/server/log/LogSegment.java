package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One segment of a partition log: {@code %020d.log} (record batches back to back, exactly as appended, see
 * {@link RecordBatch}) with its {@link OffsetIndex} and {@link TimeIndex}; the number is the base offset of its first
 * batch.
 * <p>
 * Written by the owner thread only, read by any thread: {@link #size} is the end of the last fully written batch and
 * is published (volatile) after the batch and its index entries, so a reader bounded by it never sees a partial
 * batch. A segment takes appends until {@link #closeForAppend}, which trims it to its real length, or until a
 * truncation cuts it and makes it take appends again ({@link #planCut}, {@link #applyCut}, {@link #finishCut}).
 * <p>
 * Preallocation: with {@link LogConfig#preallocate()} the file is zero-filled ahead of the write position in steps of
 * {@link #PREALLOCATE_STEP} (capped at the segment size). Java cannot call fallocate, and a sparse extension
 * ({@code setLength}) or unwritten extents still make the next fdatasync commit block allocation; overwriting blocks
 * that already hold zeros does not. The price is writing each byte twice, once as zero, in exchange for syncs that
 * touch data blocks only. Recovery stops at the zeros: a zero length field is no valid batch. Zeros are written one
 * page (4 KiB) per write: Linux sizes page-cache folios by the write that creates them, and an append into a 64 KiB
 * folio made by a 64 KiB write of zeros dirtied, and accounted, all 64 KiB at every sync (measured on Linux 6.18,
 * ext4: 54 bytes of {@code write_bytes} per byte appended, and syncs slower than into single pages).
 * <p>
 * The zeros are written by the {@code filler} executor (a worker in the broker), not by the owner thread, which is an
 * event loop. The invariant that keeps the filler off the appender's bytes: <b>the filler writes only at or above
 * {@link #allocated}, while holding {@link #fillLock}, and raises {@code allocated} over a chunk only after writing
 * it; the appender writes only below {@code allocated}</b>. An append that fits below {@code allocated} (the usual
 * case) takes no lock. One that does not (it outran the fill, or there is none) takes the lock, which waits for at
 * most the one {@link #FILL_CHUNK} being written, and raises {@code allocated} to its own end: it extends the file
 * itself, and a fill still running goes on above it. Only the owner thread lowers {@code allocated} (trim on
 * {@link #closeForAppend}, discarding a failed append, {@link #finishCut}), under the lock, and {@code closeForAppend}
 * and {@code finishCut} also end any fill. A fill starts, at most one at a time, when an append leaves less than
 * half a step of zeros ahead, the segment was flushed since the last fill started, and its flushes are small (on
 * average under {@link #FILL_WORTH_FLUSH_BYTES} each). Zeros pay off only for fdatasync, which then commits no new
 * file size; they cost a second write of every byte. So a log nobody syncs (NON_PERSISTENT traffic) grows by its
 * appends alone (zeros first doubled the page-cache writes of a fan-out and took 12 % of the broker's CPU, issue 7),
 * and so does one whose syncs each carry many appends (transactions, asynchronous sends, many producers in one
 * group commit): the size commit is then shared by many messages while the zeros would still double every byte
 * written (issue 19: "one write per byte"). Synchronous producers that sync one small message at a time keep the
 * zeros: there the sync is the send's cost, and the page each message lands in is written again on every sync
 * anyway.
 * <p>
 * A failed append (a full disk: ENOSPC, or any I/O error) truncates the file back to where the batch started, so the
 * segment ends after the last whole batch, its indexes untouched, and the next append starts at the same place.
 */
final class LogSegment implements AutoCloseable {
    static final int PREALLOCATE_STEP = 1 << 20;
    /** Zeros written per hold of {@link #fillLock}: the longest an appender that outran the fill waits for. */
    static final int FILL_CHUNK = 64 * 1024;
    /**
     * Average bytes appended per flush below which zero-filling ahead pays: a sync of a few pages is slowed by the
     * file-size commit by about a quarter (issue 7, 258 against 327 µs), one of 32 KiB or more shares it.
     */
    static final int FILL_WORTH_FLUSH_BYTES = 32 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Bytes of a batch header that seeking needs: up to and including maxTimestamp. */
    private static final int SEEK_HEADER_BYTES = 43;
    /** The unit zeros are written in: a page of the page cache. */
    private static final int PAGE = 4096;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PAGE).asReadOnlyBuffer();

    private final long baseOffset;
    private final Path logFile;
    private final FileChannel channel;
    private final OffsetIndex index;
    private final TimeIndex timeIndex;
    private final LogConfig config;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    private volatile boolean closedForAppend;
    private volatile boolean durableClosed;
    private volatile boolean deleted;
    /** Loaded without a scan because it is below the recovery point or the shutdown was clean. */
    private boolean trusted;
    /** A new file: its first sync must include metadata. */
    private volatile boolean created;

    /** Held by the filler while it writes one chunk, by the owner when it moves {@link #allocated} itself. */
    private final Object fillLock = new Object();
    /** [size, allocated) is zeros no fill writes again; raised by the filler and the appender, see class Javadoc. */
    private volatile long allocated;
    /** Guarded by fillLock: where the running fill stops; 0 stops it. */
    private long fillEnd;
    /** Set by {@link #flushActive} (flush thread), cleared by the owner when it starts a fill. */
    private volatile boolean flushedSinceFill;
    /** Flush threads only (one at a time per segment): the size at the last flush, and bytes per flush (moving mean). */
    private volatile int sizeAtLastFlush;
    private volatile int bytesPerFlush;
    /** A fill is queued or running: set by the owner, cleared by the filler when it ends. */
    private volatile boolean filling;

    // owner thread only
    private Executor filler = Runnable::run;
    private int bytesSinceIndexEntry;
    private int relativeOffsetOfMaxTimestamp;
    private long rollTimeMs;

    private LogSegment(long baseOffset, Path dir, LogConfig config) throws IOException {
        this.baseOffset = baseOffset;
        this.config = config;
        this.logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.index = OffsetIndex.open(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)));
        this.timeIndex = TimeIndex.open(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)));
        this.nextOffset = baseOffset;
        this.allocated = channel.size();
    }

    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** A new, empty segment; any files left under its name are replaced. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        for (String suffix : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix)));
        }
        LogSegment segment = new LogSegment(baseOffset, dir, config);
        segment.created = true;
        segment.rollTimeMs = nowMs;
        return segment;
    }

    /** An existing segment; call {@link #loadTrusted} or {@link #recover} before use. */
    static LogSegment openExisting(Path dir, long baseOffset, LogConfig config) throws IOException {
        return new LogSegment(baseOffset, dir, config);
    }

    long baseOffset() {
        return baseOffset;
    }

    Path file() {
        return logFile;
    }

    int size() {
        return size;
    }

    /** Offset after the last batch. */
    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * The newest timestamp this segment's time index records for a batch starting at or before {@code offset}, or -1
     * if it records none that early. Memory only; any thread.
     */
    long indexedTimestampAtOrBefore(long offset) {
        return timeIndex.timestampAtOrBefore((int) Math.min(Integer.MAX_VALUE, offset - baseOffset));
    }

    long rollTimeMs() {
        return rollTimeMs;
    }

    boolean isDeleted() {
        return deleted;
    }

    boolean isDurableClosed() {
        return durableClosed;
    }

    OffsetIndex index() {
        return index;
    }

    // ---------------------------------------------------------------- append (owner thread)

    /** Writes a batch whose baseOffset is already set; the caller has decided that it fits. */
    void append(Buffer batch) throws IOException {
        int position = size;
        int length = batch.length();
        long end = (long) position + length;
        long batchBase = RecordBatch.baseOffset(batch);
        if (end > allocated) {
            if (!config.preallocate()) {
                allocated = end; // no fills to keep off
            } else {
                synchronized (fillLock) {
                    if (end > allocated) {
                        allocated = end;
                    }
                }
            }
        }
        try {
            IoUtil.writeFully(channel, batch.getByteBuf().nioBuffer(), position);
        } catch (IOException e) {
            discardFrom(position);
            throw e;
        }
        if (position == 0 && rollTimeMs == 0) {
            rollTimeMs = RecordBatch.maxTimestamp(batch);
        }
        indexBatch(batchBase, position, length, RecordBatch.maxTimestamp(batch));
        size = position + length;
        nextOffset = RecordBatch.nextOffset(batch);
        maybeFillAhead(end);
    }

    /** Owner thread: where zero-filling runs; the owner itself ({@code Runnable::run}) unless set. */
    void fillWith(Executor executor) {
        filler = executor;
    }

    /** Cuts off what a failed write may have left after {@code position}; the file then ends after whole batches. */
    private void discardFrom(int position) {
        synchronized (fillLock) {
            fillEnd = 0;
            try {
                channel.truncate(position);
                allocated = position;
            } catch (IOException e) {
                // the next append overwrites from position anyway; a longer leftover is cut by recovery or trim
                LOG.warn("cannot truncate {} to {}", logFile, position, e);
            }
        }
    }

    private void maybeFillAhead(long end) {
        long ahead = allocated;
        if (!config.preallocate() || !flushedSinceFill || bytesPerFlush >= FILL_WORTH_FLUSH_BYTES || filling
                || closedForAppend
                || ahead >= config.segmentBytes() || ahead - end >= PREALLOCATE_STEP / 2) {
            return;
        }
        flushedSinceFill = false;
        synchronized (fillLock) {
            fillEnd = Math.min(Math.max(ahead, end) + PREALLOCATE_STEP, config.segmentBytes());
        }
        filling = true;
        try {
            filler.execute(this::fill);
        } catch (RejectedExecutionException e) {
            filling = false; // shutting down: appends extend the file themselves
        }
    }

    /** Writes zeros from {@link #allocated} to {@link #fillEnd}, one chunk per hold of the lock. */
    private void fill() {
        try {
            while (true) {
                synchronized (fillLock) {
                    long from = allocated;
                    long to = Math.min(fillEnd, from + FILL_CHUNK);
                    if (from >= to) {
                        break;
                    }
                    // One page per write: the page cache sizes its folios by the write, and a folio made by a
                    // 64 KiB write is dirtied whole by each small append into it and written back whole by each
                    // sync (Linux 6.18, ext4: 54 bytes written per byte appended, and slower syncs).
                    for (long at = from; at < to; ) {
                        long pageEnd = Math.min(to, (at / PAGE + 1) * PAGE);
                        ByteBuffer zeros = ZEROS.duplicate();
                        zeros.limit((int) (pageEnd - at));
                        IoUtil.writeFully(channel, zeros, at);
                        at = pageEnd;
                    }
                    allocated = to;
                }
            }
            // Synced here, on the worker, the zeros and the file's new length are not left to the next flush: that
            // fdatasync, which a producer waits for, then writes the appended data blocks only.
            channel.force(false);
        } catch (IOException e) {
            if (!closedForAppend && !deleted && channel.isOpen()) {
                // e.g. a full disk: appends go on extending the file themselves
                LOG.warn("preallocation of {} failed: {}", logFile, String.valueOf(e));
            }
        } finally {
            filling = false;
        }
    }

    private void indexBatch(long batchBase, int position, int length, long batchMaxTimestamp) throws IOException {
        int relative = (int) (batchBase - baseOffset);
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            relativeOffsetOfMaxTimestamp = relative;
        }
        // An entry for the batch that crosses the interval, not the first one: position 0 is implicit.
        if (bytesSinceIndexEntry >= config.indexIntervalBytes()) {
            index.append(relative, position);
            timeIndex.maybeAppend(maxTimestamp, relativeOffsetOfMaxTimestamp);
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += length;
    }

    /** Owner thread: no more appends; records the final timestamp entry and gives back preallocated space. */
    void closeForAppend() throws IOException {
        if (closedForAppend) {
            return;
        }
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, relativeOffsetOfMaxTimestamp);
        }
        synchronized (fillLock) {
            // waits for a fill chunk being written; none is written after
            fillEnd = 0;
            closedForAppend = true;
            channel.truncate(size);
            allocated = size;
        }
    }

    // ---------------------------------------------------------------- flush (flusher thread)

    /** Forces the data appended so far; metadata too on the first sync of a new file. */
    void flushActive() throws IOException {
        boolean metadata = created;
        int flushing = size;
        channel.force(metadata);
        if (metadata) {
            created = false;
        }
        int bytes = flushing - sizeAtLastFlush;
        if (bytes != 0) {
            sizeAtLastFlush = flushing; // below it after a cut
        }
        if (bytes > 0) {
            int mean = bytesPerFlush;
            bytesPerFlush = mean == 0 ? bytes : (int) ((7L * mean + bytes) / 8);
        }
        flushedSinceFill = true;
    }

    /** Forces a closed segment completely (trimmed length and indexes included), once. */
    void flushClosed() throws IOException {
        syncAll();
        durableClosed = true;
    }

    /** Forces data, metadata and indexes without marking the segment closed. */
    void syncAll() throws IOException {
        channel.force(true);
        index.force();
        timeIndex.force();
        created = false;
    }

    /** For a closed segment already known to be durable (trusted on open). */
    void markDurableClosed() {
        durableClosed = true;
    }

    boolean isTrusted() {
        return trusted;
    }

    // ---------------------------------------------------------------- read (any thread)

    /**
     * Whole batches starting with the one containing {@code offset}, about {@code maxBytes} (at least one batch);
     * empty if this segment has nothing at or after {@code offset}.
     */
    Buffer read(long offset, int maxBytes) throws IOException {
        int limit = size;
        int start = seek(offset, limit);
        if (start < 0) {
            return Buffer.buffer();
        }
        int first = batchSizeAt(start, limit);
        int length = Math.min(limit - start, Math.max(maxBytes, first));
        byte[] bytes = new byte[length];
        IoUtil.readFully(channel, ByteBuffer.wrap(bytes), start);
        Buffer chunk = Buffer.buffer(Unpooled.wrappedBuffer(bytes));
        int pos = 0;
        long expectedBase = -1;
        while (pos + RecordBatch.LOG_OVERHEAD <= length) {
            int batchSize = RecordBatch.sizeAt(chunk, pos);
            if (batchSize < RecordBatch.HEADER_BYTES || batchSize > limit - start - pos) {
                throw new CorruptLogException(logFile, start + pos, "bad batch length " + batchSize);
            }
            if (pos + batchSize > length) {
                break;
            }
            Buffer batch = chunk.slice(pos, pos + batchSize);
            String problem = RecordBatch.check(batch);
            if (problem == null && expectedBase >= 0 && RecordBatch.baseOffset(batch) != expectedBase) {
                problem = "base offset " + RecordBatch.baseOffset(batch) + ", expected " + expectedBase;
            }
            if (problem != null) {
                throw new CorruptLogException(logFile, start + pos, problem);
            }
            expectedBase = RecordBatch.nextOffset(batch);
            pos += batchSize;
        }
        return chunk.slice(0, pos);
    }

    /** Position of the batch containing {@code offset}, or -1 if there is none below {@code limit}. */
    private int seek(long offset, int limit) throws IOException {
        if (offset < baseOffset) {
            offset = baseOffset;
        }
        long relative = offset - baseOffset;
        int pos = index.lookup((int) Math.min(relative, Integer.MAX_VALUE));
        ByteBuffer header = ByteBuffer.allocate(SEEK_HEADER_BYTES);
        while (pos < limit) {
            int batchSize = batchSizeAt(pos, limit);
            header.clear();
            IoUtil.readFully(channel, header, pos);
            long last = header.getLong(0) + header.getInt(23);
            if (last >= offset) {
                return pos;
            }
            pos += batchSize;
        }
        return -1;
    }

    /** Base offset of the first batch whose maxTimestamp is {@code >= timestamp}, or -1 if this segment has none. */
    long findTimestamp(long timestamp) throws IOException {
        int limit = size;
        int relative = timeIndex.lookupBelow(timestamp);
        int pos = relative < 0 ? 0 : index.lookup(relative);
        ByteBuffer header = ByteBuffer.allocate(SEEK_HEADER_BYTES);
        while (pos < limit) {
            int batchSize = batchSizeAt(pos, limit);
            header.clear();
            IoUtil.readFully(channel, header, pos);
            if (header.getLong(35) >= timestamp) {
                return header.getLong(0);
            }
            pos += batchSize;
        }
        return -1;
    }

    private int batchSizeAt(int pos, int limit) throws IOException {
        if (limit - pos < RecordBatch.HEADER_BYTES) {
            throw new CorruptLogException(logFile, pos, "only " + (limit - pos) + " bytes left for a batch");
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        IoUtil.readFully(channel, length, pos + 8L);
        int batchSize = RecordBatch.LOG_OVERHEAD + length.getInt(0);
        if (batchSize < RecordBatch.HEADER_BYTES || batchSize > limit - pos) {
            throw new CorruptLogException(logFile, pos, "bad batch length " + batchSize);
        }
        return batchSize;
    }

    /**
     * Adds the offsets of every control batch in this segment to {@code into}, reading each batch header (base
     * offset, length, attributes, last offset delta: the first 27 bytes); the batches themselves are not read.
     */
    void collectControlBatches(ControlOffsets into) throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(27);
        int pos = 0;
        while (pos < limit) {
            int batchSize = batchSizeAt(pos, limit);
            header.clear();
            IoUtil.readFully(channel, header, pos);
            if ((header.getShort(21) & RecordBatch.ATTR_CONTROL) != 0) {
                long base = header.getLong(0);
                into.add(base, base + header.getInt(23) + 1);
            }
            pos += batchSize;
        }
    }

    // ---------------------------------------------------------------- truncation (owner thread, no flush running)

    /**
     * What this segment looks like after a cut: the fields an append of exactly the batches below the cut would have
     * left, so appends continue as if the removed batches had never been written.
     */
    record Cut(long offset, int position, int indexEntries, int timeIndexEntries, long maxTimestamp,
            int relativeOffsetOfMaxTimestamp, int bytesSinceIndexEntry, long rollTimeMs) {
    }

    /**
     * Plans cutting this segment at {@code offset}, reading only bytes below it (nothing changes yet).
     *
     * @return null if no batch starts at {@code offset} in this segment (it lies inside a batch, or outside)
     */
    Cut planCut(long offset, long nowMs) throws IOException {
        int limit = size;
        if (offset < baseOffset || offset >= nextOffset) {
            return null;
        }
        int position = offset == baseOffset ? 0 : seek(offset, limit);
        ByteBuffer header = ByteBuffer.allocate(SEEK_HEADER_BYTES);
        if (position < 0) {
            return null;
        }
        if (offset != baseOffset) {
            IoUtil.readFully(channel, header, position);
            if (header.getLong(0) != offset) {
                return null;
            }
        }
        int relative = (int) (offset - baseOffset);
        int indexEntries = index.countBelow(relative);
        int timeIndexEntries = timeIndex.countBelow(relative);
        long max = -1;
        int maxRelative = 0;
        if (timeIndexEntries > 0) {
            max = timeIndex.timestamp(timeIndexEntries - 1);
            maxRelative = timeIndex.relativeOffset(timeIndexEntries - 1);
        }
        // the batches after the last kept index entry are not summarized by the time index: read their headers
        int start = indexEntries > 0 ? index.position(indexEntries - 1) : 0;
        for (int pos = start; pos < position; ) {
            int batchSize = batchSizeAt(pos, position);
            header.clear();
            IoUtil.readFully(channel, header, pos);
            if (header.getLong(35) > max) {
                max = header.getLong(35);
                maxRelative = (int) (header.getLong(0) - baseOffset);
            }
            pos += batchSize;
        }
        return new Cut(offset, position, indexEntries, timeIndexEntries, max, maxRelative, position - start,
                position == 0 ? nowMs : rollTimeMs);
    }

    /**
     * Memory only: publishes the shorter segment, so readers bounded by {@link #size} no longer reach the removed
     * bytes. The file keeps them until {@link #finishCut}; the indexes keep their extra entries until then too,
     * which is harmless: a lookup for an offset below the cut never chooses an entry at or above it.
     */
    void applyCut(Cut cut) {
        size = cut.position();
        nextOffset = cut.offset();
        maxTimestamp = cut.maxTimestamp();
        relativeOffsetOfMaxTimestamp = cut.relativeOffsetOfMaxTimestamp();
        bytesSinceIndexEntry = cut.bytesSinceIndexEntry();
        rollTimeMs = cut.rollTimeMs();
    }

    /**
     * Cuts the files to the state {@link #applyCut} published, syncs them (data, length and indexes) and takes
     * appends again, whether this segment was the active one or a closed one. Any fill still running stops at its
     * next chunk and nothing lies ahead of the write position afterwards ({@code allocated == size}), so the
     * preallocation invariant holds as after a failed append; fills resume after the next flush.
     */
    void finishCut(Cut cut) throws IOException {
        index.truncateTo(cut.indexEntries());
        timeIndex.truncateTo(cut.timeIndexEntries());
        synchronized (fillLock) {
            fillEnd = 0;
            channel.truncate(size);
            allocated = size;
            closedForAppend = false;
        }
        durableClosed = false;
        syncAll();
    }

    // ---------------------------------------------------------------- open (owner thread, before publication)

    /**
     * For a segment the recovery point says is durable: takes the file length as its size and checks the tail from
     * the last index entry (whole batches, CRC, offsets continuing), which also yields the next offset. A full scan
     * would make every open read the whole log; the tail check catches the likely damage (a file cut short) cheaply.
     *
     * @throws CorruptLogException where the tail is damaged
     */
    void loadTrusted() throws IOException {
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE) {
            throw new CorruptLogException(logFile, Integer.MAX_VALUE, "segment larger than 2 GiB");
        }
        int n = index.entryCount();
        int start = 0;
        long expected = baseOffset;
        if (n > 0 && index.position(n - 1) < fileSize) {
            start = index.position(n - 1);
            expected = -1;
        } else if (n > 0) {
            index.clear();
            timeIndex.clear();
        }
        rollTimeMs = firstBatchTimestamp(fileSize);
        scan(start, fileSize, expected, true, start == 0);
        if (timeIndex.lastTimestamp() > maxTimestamp) {
            maxTimestamp = timeIndex.lastTimestamp();
        }
        allocated = fileSize;
        trusted = true;
    }

    /**
     * For a segment that may hold writes that were never synced: scans every batch from the start, rebuilds both
     * indexes, and truncates the file after the last good batch.
     *
     * @return the number of bytes cut off (a torn or corrupt tail, or preallocated zeros)
     */
    long recover(long nowMs) throws IOException {
        long fileSize = channel.size();
        index.clear();
        timeIndex.clear();
        long end = scan(0, Math.min(fileSize, Integer.MAX_VALUE), baseOffset, false, true);
        rollTimeMs = size > 0 ? firstBatchTimestamp(size) : nowMs;
        channel.truncate(end);
        allocated = end;
        return fileSize - end;
    }

    private long firstBatchTimestamp(long fileSize) throws IOException {
        if (fileSize < RecordBatch.HEADER_BYTES) {
            return 0;
        }
        ByteBuffer header = ByteBuffer.allocate(SEEK_HEADER_BYTES);
        IoUtil.readFully(channel, header, 0);
        return header.getLong(35);
    }

    /**
     * Validates batches in [start, end); {@code expected} is the base offset the first must have, or -1 for any.
     * Strict: a bad batch is corruption. Lenient: it ends the log.
     *
     * @return the position after the last good batch
     */
    private long scan(int start, long end, long expected, boolean strict, boolean reindex) throws IOException {
        int pos = start;
        ByteBuffer lengthField = ByteBuffer.allocate(4);
        while (pos < end) {
            String problem = null;
            Buffer batch = null;
            if (end - pos < RecordBatch.HEADER_BYTES) {
                problem = "only " + (end - pos) + " bytes left for a batch";
            } else {
                lengthField.clear();
                IoUtil.readFully(channel, lengthField, pos + 8L);
                long batchSize = RecordBatch.LOG_OVERHEAD + (long) lengthField.getInt(0);
                if (batchSize < RecordBatch.HEADER_BYTES || batchSize > end - pos) {
                    problem = "bad batch length " + batchSize;
                } else {
                    byte[] bytes = new byte[(int) batchSize];
                    IoUtil.readFully(channel, ByteBuffer.wrap(bytes), pos);
                    batch = Buffer.buffer(Unpooled.wrappedBuffer(bytes));
                    problem = RecordBatch.check(batch);
                    if (problem == null && expected >= 0 && RecordBatch.baseOffset(batch) != expected) {
                        problem = "base offset " + RecordBatch.baseOffset(batch) + ", expected " + expected;
                    }
                }
            }
            if (problem != null) {
                if (strict) {
                    throw new CorruptLogException(logFile, pos, problem);
                }
                break;
            }
            if (reindex) {
                indexBatch(RecordBatch.baseOffset(batch), pos, batch.length(), RecordBatch.maxTimestamp(batch));
            } else if (RecordBatch.maxTimestamp(batch) > maxTimestamp) {
                maxTimestamp = RecordBatch.maxTimestamp(batch);
                relativeOffsetOfMaxTimestamp = (int) (RecordBatch.baseOffset(batch) - baseOffset);
            }
            expected = RecordBatch.nextOffset(batch);
            nextOffset = expected;
            pos += batch.length();
            size = pos;
        }
        if (!reindex) {
            bytesSinceIndexEntry = pos - start;
        }
        sizeAtLastFlush = pos; // what was there at open is no flush's bytes
        return pos;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes the files and deletes them; concurrent readers get ClosedChannelException and retry. */
    void delete() throws IOException {
        deleted = true;
        close();
        // indexes first: a crash in between leaves a log file without indexes, which open rebuilds, rather than
        // index files no segment owns
        Files.deleteIfExists(index.file());
        Files.deleteIfExists(timeIndex.file());
        Files.deleteIfExists(logFile);
    }

    @Override
    public void close() throws IOException {
        try (channel; index; timeIndex) {
            // closes all three even if one fails
        }
    }
}
