package io.heraldmq.server.log;

import io.heraldmq.protocol.RecordBatch;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The append-only log of one partition: a directory of {@link LogSegment}s, the last of which (the active segment)
 * takes appends.
 * <p>
 * Threads: {@link #append}, {@link #appendReplica}, {@link #truncateTo}, {@link #retire} and {@link #close} on the
 * owner thread; {@link #read}, {@link #offsetForTimestamp} and the offset getters on any thread; {@link #flush} on one
 * flusher thread at a time; {@link #deleteRetired} and the active segment's zero-filling on workers. The segment list
 * is an immutable array replaced under a lock by the rare structural changes (roll, retention, truncation, close);
 * the append path takes no lock.
 * Visibility is ordered by volatile writes: the batch bytes and index entries, then the segment's size, then
 * {@link #logEndOffset}. A reader that reads {@code logEndOffset} first therefore finds every offset below it.
 * Truncation, the one change that removes offsets from the end, is fenced off from readers by a counter (see
 * {@link #truncateTo}).
 * <p>
 * Recovery. Besides the segments, the directory holds two {@link OffsetCheckpointFile}s:
 * <ul>
 * <li>{@code .clean-shutdown}: written by {@link #close} after everything is synced and trimmed, with the log end
 * offset. {@link #open} deletes it (durably) before returning, so a later crash is detected. With it, open scans
 * nothing but the tail of each segment after its last index entry.</li>
 * <li>{@code recovery-point}: a base offset below which every segment is durable, trimmed and indexed. {@link #flush}
 * writes it as the base of the active segment whenever it has just synced segments closed by a roll, and writes it
 * after syncing those segments but before syncing the active one.</li>
 * <li>{@code possibly-delivered-below}: the log end after the last unclean start's recovery. The broker keeps
 * delivery counts in memory, so a crash forgets which records it had delivered without an acknowledgement; a record
 * below this offset is counted as possibly delivered before ({@link #possiblyDeliveredBelow}). Kept across later
 * clean restarts: what was in the log at the crash stays "possibly delivered" until it is consumed.</li>
 * </ul>
 * And {@code control-offsets} ({@link ControlOffsets}): where the control records are, written at close before
 * {@code .clean-shutdown}; trusted only by a clean open, rebuilt from the batch headers otherwise (clustered logs).
 * <p>
 * How far back an unclean start scans: every segment whose base offset is at or above the recovery point, which is
 * normally only the active segment (or the active segment and the one rolled just before the crash). Older segments
 * are trusted (tail checked only), because the recovery point proves they were synced whole; scanning them would
 * make startup time grow with the retained log, not with the unsynced data. Because the recovery point is written
 * before the active segment is synced, no flush has ever reported an offset in a segment above the recovery point
 * unless that segment was active at the time; a bad batch in a scanned segment is therefore treated as a torn tail:
 * the segment is cut there and later segments are deleted. Damage in a trusted segment is corruption: open (tail
 * check) or read (CRC of every batch read) throws {@link CorruptLogException}, and the partition is fenced.
 */
public final class PartitionLog implements AutoCloseable {
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    static final String RECOVERY_POINT_FILE = "recovery-point";
    static final String POSSIBLY_DELIVERED_FILE = "possibly-delivered-below";

    private final Path dir;
    private final LogConfig config;
    private final Clock clock;
    private final OffsetCheckpointFile cleanShutdown;
    private final OffsetCheckpointFile recoveryPoint;
    private final Object structureLock = new Object();
    private final Object flushLock = new Object();
    /** Held by {@link #truncateTo} while it changes the in-memory view; readers that meet it wait. */
    private final Object viewLock = new Object();

    private volatile LogSegment[] segments;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long durableOffset;
    /** A segment file was created since the directory was last synced. */
    private volatile boolean directoryDirty;
    private volatile boolean closed;
    /** Incremented before and after {@link #truncateTo} changes the in-memory view: odd while it does. */
    private volatile int truncations;
    /** Whether open() ran a recovery scan; for tests and metrics. */
    private final boolean recovered;
    private final long possiblyDeliveredBelow;
    /** Offsets of control records, left out of user-visible counts. */
    private final ControlOffsets controls;

    /** Where the active segment's zero-filling runs (see {@link LogSegment}). */
    private final Executor filler;

    // owner thread only
    private LogSegment active;

    private PartitionLog(Path dir, LogConfig config, Clock clock, List<LogSegment> segments, boolean recovered,
            long possiblyDeliveredBelow, ControlOffsets controls, Executor filler) {
        this.dir = dir;
        this.controls = controls;
        this.filler = filler;
        this.config = config;
        this.clock = clock;
        this.cleanShutdown = new OffsetCheckpointFile(dir.resolve(CLEAN_SHUTDOWN_FILE));
        this.recoveryPoint = new OffsetCheckpointFile(dir.resolve(RECOVERY_POINT_FILE));
        this.segments = segments.toArray(new LogSegment[0]);
        this.active = this.segments[this.segments.length - 1];
        this.logStartOffset = this.segments[0].baseOffset();
        this.logEndOffset = active.nextOffset();
        this.durableOffset = logEndOffset;
        this.recovered = recovered;
        this.possiblyDeliveredBelow = possiblyDeliveredBelow;
        active.fillWith(filler);
    }

    /**
     * Opens or creates the log in dir, running recovery if the last shutdown was not clean. Preallocation zero-fills
     * on the owner thread; the broker uses {@link #open(Path, LogConfig, Clock, Executor)}.
     */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock) throws IOException {
        return open(dir, config, clock, Runnable::run);
    }

    /**
     * Opens or creates the log in dir, running recovery if the last shutdown was not clean.
     *
     * @param filler where the active segment is zero-filled ahead of the write position: a worker, so that the owner
     *               thread (an event loop) does not write the zeros
     */
    public static PartitionLog open(Path dir, LogConfig config, Clock clock, Executor filler) throws IOException {
        Files.createDirectories(dir);
        List<Long> bases = listSegments(dir);
        OffsetCheckpointFile cleanShutdown = new OffsetCheckpointFile(dir.resolve(CLEAN_SHUTDOWN_FILE));
        OffsetCheckpointFile recoveryPoint = new OffsetCheckpointFile(dir.resolve(RECOVERY_POINT_FILE));
        List<LogSegment> segments = new ArrayList<>();
        boolean recovered = false;
        long possiblyDeliveredBelow;
        ControlOffsets controls;
        try {
            if (bases.isEmpty()) {
                segments.add(LogSegment.create(dir, 0, config, clock.millis()));
            } else {
                OptionalLong cleanEnd = cleanShutdown.read();
                if (cleanEnd.isPresent() && loadClean(dir, config, bases, segments, cleanEnd.getAsLong())) {
                    recovered = false;
                } else {
                    closeAll(segments);
                    segments.clear();
                    recover(dir, config, clock, bases, recoveryPoint.read().orElse(0), segments);
                    recovered = true;
                }
            }
            for (LogSegment segment : segments.subList(0, segments.size() - 1)) {
                segment.closeForAppend();
            }
            for (int i = 0; i < segments.size(); i++) {
                LogSegment segment = segments.get(i);
                boolean closedSegment = i < segments.size() - 1;
                if (segment.isTrusted() && closedSegment) {
                    segment.markDurableClosed();
                } else if (!segment.isTrusted()) {
                    // make the repaired state the durable baseline before anything else is appended
                    if (closedSegment) {
                        segment.flushClosed();
                    } else {
                        segment.syncAll();
                    }
                }
            }
            IoUtil.forceDirectory(dir);
            OffsetCheckpointFile possiblyDelivered = new OffsetCheckpointFile(dir.resolve(POSSIBLY_DELIVERED_FILE));
            possiblyDeliveredBelow = possiblyDelivered.read().orElse(0);
            long end = segments.get(segments.size() - 1).nextOffset();
            if (recovered && end > possiblyDeliveredBelow) {
                // the recovered end, not the end before the crash: offsets cut off as a torn tail are used again
                possiblyDelivered.write(end);
                possiblyDeliveredBelow = end;
            }
            controls = recovered ? null : ControlOffsets.read(dir, end);
            if (controls == null) {
                controls = new ControlOffsets();
                if (config.controlRecords()) {
                    for (LogSegment segment : segments) {
                        segment.collectControlBatches(controls);
                    }
                }
            }
            recoveryPoint.write(segments.get(segments.size() - 1).baseOffset());
            cleanShutdown.delete();
        } catch (IOException | RuntimeException e) {
            closeAll(segments);
            throw e;
        }
        return new PartitionLog(dir, config, clock, segments, recovered, possiblyDeliveredBelow, controls, filler);
    }

    private static boolean loadClean(Path dir, LogConfig config, List<Long> bases, List<LogSegment> out, long end)
            throws IOException {
        for (int i = 0; i < bases.size(); i++) {
            LogSegment segment = LogSegment.openExisting(dir, bases.get(i), config);
            out.add(segment);
            segment.loadTrusted();
            checkContinuity(segment, i + 1 < bases.size() ? bases.get(i + 1) : -1);
        }
        // a marker that does not match the files (e.g. copied around) is not trusted: scan instead
        return out.get(out.size() - 1).nextOffset() == end;
    }

    private static void recover(Path dir, LogConfig config, Clock clock, List<Long> bases, long recoveryPoint,
            List<LogSegment> out) throws IOException {
        int last = bases.size() - 1;
        for (int i = 0; i <= last; i++) {
            LogSegment segment = LogSegment.openExisting(dir, bases.get(i), config);
            out.add(segment);
            if (bases.get(i) < recoveryPoint && i < last) {
                segment.loadTrusted();
                checkContinuity(segment, bases.get(i + 1));
                continue;
            }
            long cut = segment.recover(clock.millis());
            boolean continues = i == last || segment.nextOffset() == bases.get(i + 1);
            if (i < last && (cut > 0 || !continues)) {
                // the tail of this segment was never synced, so nothing after it was reported durable either
                for (int j = i + 1; j <= last; j++) {
                    LogSegment.openExisting(dir, bases.get(j), config).delete();
                }
                return;
            }
        }
    }

    private static void checkContinuity(LogSegment segment, long nextBase) throws CorruptLogException {
        if (nextBase >= 0 && segment.nextOffset() != nextBase) {
            throw new CorruptLogException(segment.file(), segment.size(), "segment ends at offset "
                    + segment.nextOffset() + " but the next segment starts at " + nextBase);
        }
    }

    private static List<Long> listSegments(Path dir) throws IOException {
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp") || name.endsWith(".deleted")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    bases.add(Long.parseLong(name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length())));
                }
            }
        }
        bases.sort(null);
        return bases;
    }

    private static void closeAll(List<LogSegment> segments) {
        for (LogSegment segment : segments) {
            try {
                segment.close();
            } catch (IOException ignored) {
                // already failing; the first exception is the one to report
            }
        }
    }

    // ---------------------------------------------------------------- append (owner thread)

    /**
     * Owner thread only. Sets baseOffset and leaderEpoch in the batch buffer in place, writes it to the active segment
     * (rolling first if needed), updates the indexes. No fsync.
     *
     * @return the base offset assigned
     */
    public long append(Buffer batch, int leaderEpoch) throws IOException {
        int length = batch.length();
        if (length < RecordBatch.HEADER_BYTES || RecordBatch.sizeAt(batch, 0) != length) {
            throw new IllegalArgumentException("not one record batch: " + length + " bytes");
        }
        checkOpen();
        long base = logEndOffset;
        RecordBatch.setBaseOffset(batch, base);
        RecordBatch.setLeaderEpoch(batch, leaderEpoch);
        appendBatch(batch);
        return base;
    }

    /**
     * Owner thread only. Appends batches copied from the leader, byte for byte: their base offsets and leader epochs
     * are kept, not assigned. Each batch is checked whole (sizes, CRC, record offsets) and its base offset must
     * continue the log: the first at {@link #logEndOffset()}, each next one at the previous one's next offset. The
     * whole buffer is checked before anything is written, so a refused call leaves the log as it was. Rolls and
     * indexes as {@link #append}; no fsync.
     * <p>
     * An I/O error part-way leaves the batches before the failing one appended (the failing one is cut away, see
     * {@link LogSegment}); {@link #logEndOffset()} says how far it got.
     *
     * @param batches one or more record batches back to back
     * @return the new log end offset
     * @throws IllegalStateException    if a batch does not start where the log (or the batch before it) ends: a gap
     *                                  or an overlap, which only truncation can resolve
     * @throws IllegalArgumentException if the buffer is not whole, sound batches
     */
    public long appendReplica(Buffer batches) throws IOException {
        checkOpen();
        int length = batches.length();
        if (length == 0) {
            throw new IllegalArgumentException("no record batch to append to " + dir);
        }
        long expected = logEndOffset;
        for (int pos = 0; pos < length; ) {
            Buffer batch = batchAt(batches, pos);
            long base = RecordBatch.baseOffset(batch);
            if (base != expected) {
                throw new IllegalStateException("replica batch " + (pos == 0 ? "" : "at byte " + pos + " ")
                        + "starts at offset " + base + " but " + dir + " expects offset " + expected
                        + (base > expected ? " (a gap)" : " (an overlap)"));
            }
            String problem = RecordBatch.check(batch);
            if (problem != null) {
                throw new IllegalArgumentException("replica batch at offset " + base + ": " + problem);
            }
            expected = RecordBatch.nextOffset(batch);
            pos += batch.length();
        }
        for (int pos = 0; pos < length; ) {
            Buffer batch = batchAt(batches, pos);
            appendBatch(batch);
            pos += batch.length();
        }
        return logEndOffset;
    }

    /** The batch starting at byte {@code pos} of {@code batches}, as a slice; its size must fit. */
    private static Buffer batchAt(Buffer batches, int pos) {
        int left = batches.length() - pos;
        int size = left < RecordBatch.HEADER_BYTES ? -1 : RecordBatch.sizeAt(batches, pos);
        if (size < RecordBatch.HEADER_BYTES || size > left) {
            throw new IllegalArgumentException("not a whole record batch at byte " + pos + " of " + batches.length()
                    + " (length field " + size + ")");
        }
        return batches.slice(pos, pos + size);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log closed: " + dir);
        }
    }

    /** Writes a batch whose base offset is {@link #logEndOffset}, rolling first if needed, and publishes it. */
    private void appendBatch(Buffer batch) throws IOException {
        long base = RecordBatch.baseOffset(batch);
        long last = RecordBatch.lastOffset(batch);
        LogSegment segment = active;
        if (segment.size() > 0 && (segment.size() + (long) batch.length() > config.segmentBytes()
                || clock.millis() - segment.rollTimeMs() >= config.segmentMs()
                || last - segment.baseOffset() > Integer.MAX_VALUE)) {
            segment = roll(base);
        }
        segment.append(batch);
        if (RecordBatch.isControl(batch)) {
            controls.add(base, last + 1);
        }
        logEndOffset = last + 1;
    }

    private LogSegment roll(long base) throws IOException {
        synchronized (structureLock) {
            LogSegment old = active;
            old.closeForAppend();
            LogSegment fresh = LogSegment.create(dir, base, config, clock.millis());
            fresh.fillWith(filler);
            directoryDirty = true;
            LogSegment[] current = segments;
            LogSegment[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = fresh;
            segments = next;
            active = fresh;
            return fresh;
        }
    }

    // ---------------------------------------------------------------- read (any thread)

    /**
     * Whole batches starting with the one that contains {@code offset}, up to about {@code maxBytes} (at least one
     * batch if any exists at or after offset), from one segment. Empty at the log end. Offsets below the log start
     * read from the log start.
     */
    public Buffer read(long offset, int maxBytes) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int truncation = stableTruncationCount();
            Buffer batches;
            try {
                batches = readOnce(offset, maxBytes);
            } catch (IOException e) {
                if (truncations != truncation) {
                    continue; // the files changed under a view taken before a truncation: stale, not damaged
                }
                throw e;
            }
            if (truncations != truncation) {
                continue;
            }
            if (batches != null) {
                return batches;
            }
        }
        return Buffer.buffer();
    }

    /** @return null to try again */
    private Buffer readOnce(long offset, int maxBytes) throws IOException {
        long from = Math.max(offset, logStartOffset);
        if (from >= logEndOffset) {
            return Buffer.buffer();
        }
        LogSegment[] current = segments;
        int i = floor(current, from);
        if (i < 0) {
            return null; // retention moved the start between our two reads
        }
        try {
            for (; i < current.length; i++) {
                Buffer batches = current[i].read(from, maxBytes);
                if (batches.length() > 0) {
                    return batches;
                }
            }
        } catch (ClosedChannelException e) {
            if (closed || !current[Math.min(i, current.length - 1)].isDeleted()) {
                throw e;
            }
            // retention deleted the segment under us: start again from the new log start
        }
        return null;
    }

    /**
     * The truncation count, even: if a truncation is changing the in-memory view right now (odd), waits the few
     * field writes until it is done. See {@link #truncateTo}.
     */
    private int stableTruncationCount() {
        int count = truncations;
        while ((count & 1) != 0) {
            synchronized (viewLock) {
                count = truncations;
            }
        }
        return count;
    }

    private static int floor(LogSegment[] segments, long offset) {
        int lo = 0;
        int hi = segments.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].baseOffset() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * The base offset of the first batch whose maxTimestamp is at least {@code timestampMs}; {@link #logEndOffset()}
     * if there is none.
     */
    public long offsetForTimestamp(long timestampMs) throws IOException {
        while (true) {
            int truncation = stableTruncationCount();
            long found;
            try {
                found = findTimestamp(timestampMs);
            } catch (IOException e) {
                if (truncations != truncation) {
                    continue;
                }
                throw e;
            }
            if (truncations == truncation) {
                return found;
            }
        }
    }

    private long findTimestamp(long timestampMs) throws IOException {
        long end = logEndOffset;
        LogSegment[] current = segments;
        for (LogSegment segment : current) {
            if (segment.maxTimestamp() >= timestampMs) {
                try {
                    long found = segment.findTimestamp(timestampMs);
                    if (found >= 0 && found < end) {
                        return found;
                    }
                } catch (ClosedChannelException e) {
                    if (!segment.isDeleted()) {
                        throw e;
                    }
                }
            }
        }
        return end;
    }

    // ---------------------------------------------------------------- flush (one flusher thread)

    /**
     * Forces to disk everything appended before the call: fdatasync of the active segment, and a full sync (metadata
     * and indexes) of segments rolled since the last flush plus the directory when segments were created.
     *
     * @return the end offset that is now durable
     */
    public long flush() throws IOException {
        synchronized (flushLock) {
            if (closed) {
                return durableOffset;
            }
            long end = logEndOffset;
            boolean dirty = directoryDirty;
            LogSegment[] current = segments;
            boolean rolled = false;
            for (int i = 0; i < current.length - 1; i++) {
                LogSegment segment = current[i];
                if (!segment.isDurableClosed()) {
                    try {
                        segment.flushClosed();
                    } catch (ClosedChannelException e) {
                        if (!segment.isDeleted()) {
                            throw e;
                        }
                    }
                    rolled = true;
                }
            }
            if (end == durableOffset && !rolled && !dirty) {
                return end;
            }
            if (dirty) {
                directoryDirty = false;
                IoUtil.forceDirectory(dir);
            }
            LogSegment last = current[current.length - 1];
            if (rolled) {
                recoveryPoint.write(last.baseOffset());
            }
            last.flushActive();
            durableOffset = end;
            return end;
        }
    }

    // ---------------------------------------------------------------- retention

    /** Closed segments that retention has taken out of the log; {@link #deleteRetired} deletes their files. */
    public static final class RetiredSegments {
        private static final RetiredSegments NONE = new RetiredSegments(List.of(), -1);
        private final List<LogSegment> segments;
        private final long logStartOffset;

        private RetiredSegments(List<LogSegment> segments, long logStartOffset) {
            this.segments = segments;
            this.logStartOffset = logStartOffset;
        }

        /** Nothing retired. */
        public static RetiredSegments none() {
            return NONE;
        }

        public int count() {
            return segments.size();
        }

        public long bytes() {
            long total = 0;
            for (LogSegment segment : segments) {
                total += segment.size();
            }
            return total;
        }

        /** The log start offset once they went; -1 if none did. */
        public long logStartOffset() {
            return logStartOffset;
        }
    }

    /**
     * Deletes whole closed segments, oldest first, while the policy allows; never the active segment. Both steps of
     * {@link #retire} and {@link #deleteRetired} on the calling thread; for tools and tests.
     *
     * @return how many segments were deleted
     */
    public int applyRetention(RetentionPolicy policy) throws IOException {
        RetiredSegments retired = retire(policy);
        deleteRetired(retired);
        return retired.count();
    }

    /**
     * Owner thread, no I/O: takes the closed segments the policy lets go out of the log (the destination's limits
     * allow it and no subscription holds it), oldest first, stopping at the first that must stay (so the log never
     * gets holes), never the active one. The log start moves past them at once, so readers and new subscriptions no
     * longer use them; their files stay open until {@link #deleteRetired}.
     */
    public RetiredSegments retire(RetentionPolicy policy) {
        synchronized (structureLock) {
            if (closed) {
                return RetiredSegments.NONE;
            }
            LogSegment[] current = segments;
            long now = clock.millis();
            long total = sizeInBytes();
            int n = 0;
            while (n < current.length - 1) {
                LogSegment segment = current[n];
                long lastOffset = current[n + 1].baseOffset() - 1;
                if (lastOffset >= policy.deletableBelowOffset()) {
                    break;
                }
                boolean expired = policy.retentionMs() >= 0 && now - segment.maxTimestamp() > policy.retentionMs();
                boolean oversized = policy.retentionBytes() >= 0
                        && total - segment.size() >= policy.retentionBytes();
                if (!expired && !oversized || policy.held(lastOffset, segment.maxTimestamp(), now)) {
                    break;
                }
                total -= segment.size();
                n++;
            }
            if (n == 0) {
                return RetiredSegments.NONE;
            }
            // readers move past the doomed segments before their files close
            logStartOffset = current[n].baseOffset();
            controls.dropBelow(logStartOffset);
            segments = Arrays.copyOfRange(current, n, current.length);
            return new RetiredSegments(List.of(Arrays.copyOf(current, n)), current[n].baseOffset());
        }
    }

    /**
     * Any thread (blocking: a worker in the broker): closes and deletes the files of retired segments, oldest first,
     * and syncs the directory. A reader still inside one of them gets ClosedChannelException and starts again from
     * the log start. If this never runs (a crash), the files are simply found again at the next open.
     */
    public void deleteRetired(RetiredSegments retired) throws IOException {
        if (retired.count() == 0) {
            return;
        }
        for (LogSegment segment : retired.segments) {
            segment.delete();
        }
        IoUtil.forceDirectory(dir);
    }

    // ---------------------------------------------------------------- truncation (owner thread)

    /**
     * Owner thread only. Removes every batch at or above {@code offset}: a replica drops the tail in which it diverged
     * from the leader. {@code offset} must be where a batch starts, at or above the log start; at or above the log
     * end nothing happens. Truncating to the log start leaves one empty segment based there.
     * <p>
     * Afterwards: {@link #logEndOffset()} is {@code offset} and appends continue there; segments starting above it
     * are deleted; the segment holding it is cut there (file, offset index, time index; left empty if it starts
     * there, as in Kafka) and is the active segment again, preallocating as a new one would; {@link #durableOffset()} and the recovery point are no higher than
     * the cut. Takes the structure lock (as roll and retention do) and the flush lock: it waits for a running
     * {@link #flush} and keeps the next one out until it is done. Blocking: it syncs files and the directory.
     * <p>
     * Durability: when it returns the truncation is on disk, so a crash afterwards never brings a removed batch back.
     * A crash during the call leaves a prefix of the log as it was before the call: never a mix, never a gap. It is
     * at most as long as before and at least {@code offset} long, short of whatever had not been flushed (which any
     * crash loses). That holds because the recovery point is lowered to the cut segment first, so open scans that
     * segment and everything after it rather than trusting them; segments are deleted newest first; and the cut
     * segment is cut only once no later segment is left. Calling truncateTo again after the restart finishes the
     * job; a replica does that anyway, as it reconciles with the leader after every start.
     * <p>
     * Readers never see the removed batches mixed with later appends: the in-memory view (log end, segment list,
     * the cut segment's size) is changed at once, between two increments of a counter, before any file changes; a
     * read or timestamp lookup that overlapped a change starts again. A read that finished before the call may still
     * have returned removed batches; keeping those from consumers (the high watermark) is the replication layer's
     * job, as is failing durability waiters above the cut.
     * <p>
     * An I/O error after the view changed closes the log without the clean-shutdown marker, as a crash would; it
     * must then be opened again, which finds a prefix as described above.
     *
     * @throws IllegalArgumentException if {@code offset} is below the log start or inside a batch
     */
    public void truncateTo(long offset) throws IOException {
        synchronized (structureLock) {
            synchronized (flushLock) {
                checkOpen();
                if (offset >= logEndOffset) {
                    return;
                }
                if (offset < logStartOffset) {
                    throw new IllegalArgumentException("cannot truncate " + dir + " to offset " + offset
                            + ": below the log start " + logStartOffset);
                }
                LogSegment[] current = segments;
                int keep = floor(current, offset);
                LogSegment cutSegment = current[keep];
                LogSegment.Cut cut = cutSegment.planCut(offset, clock.millis());
                if (cut == null) {
                    throw new IllegalArgumentException("cannot truncate " + dir + " to offset " + offset
                            + ": no batch starts there");
                }
                // before any file changes: a crash from here on must make open scan, not trust, the cut segment
                if (recoveryPoint.read().orElse(0) > cutSegment.baseOffset()) {
                    recoveryPoint.write(cutSegment.baseOffset());
                }
                synchronized (viewLock) {
                    truncations++;
                    logEndOffset = offset;
                    if (durableOffset > offset) {
                        durableOffset = offset;
                    }
                    segments = Arrays.copyOf(current, keep + 1);
                    controls.truncateTo(offset);
                    cutSegment.applyCut(cut);
                    truncations++;
                }
                active = cutSegment;
                try {
                    for (int i = current.length - 1; i > keep; i--) {
                        current[i].delete();
                    }
                    if (keep < current.length - 1) {
                        IoUtil.forceDirectory(dir);
                    }
                    cutSegment.fillWith(filler);
                    cutSegment.finishCut(cut);
                } catch (IOException | RuntimeException e) {
                    // memory and disk disagree now; reopening reconciles them as after a crash
                    abandon();
                    throw e;
                }
            }
        }
    }

    /**
     * An offset from which reading to the log end covers at least the last {@code bytes} bytes of the log: the start
     * of the indexed batch at or before that point (so up to one index interval more), or the log start if the log
     * is smaller. For scans of the log's tail, such as rebuilding the idempotent producers' state. Any thread.
     */
    public long offsetBytesBeforeEnd(long bytes) {
        LogSegment[] current = segments;
        long remaining = bytes;
        for (int i = current.length - 1; i >= 0; i--) {
            LogSegment segment = current[i];
            int size = segment.size();
            if (size >= remaining) {
                int target = (int) (size - remaining);
                OffsetIndex index = segment.index();
                long offset = segment.baseOffset();
                for (int e = index.entryCount() - 1; e >= 0; e--) {
                    if (index.position(e) <= target) {
                        offset = segment.baseOffset() + index.relativeOffset(e);
                        break;
                    }
                }
                return Math.max(offset, logStartOffset);
            }
            remaining -= size;
        }
        return logStartOffset;
    }

    // ---------------------------------------------------------------- state

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /**
     * How many offsets in [from, to) belong to control records (not messages: see {@link ControlOffsets}). Any
     * thread.
     */
    public long controlRecords(long from, long to) {
        return controls.count(from, to);
    }

    public long durableOffset() {
        return durableOffset;
    }

    /**
     * A cheap stand-in for the timestamp of the record at {@code offset}, from memory only (no read): the newest
     * timestamp the time index of its segment records for a batch starting at or before it; if that index has none
     * so early, the newest timestamp of the segment before (all of whose batches come before it); if there is none,
     * the newest timestamp of its own segment. While producers' clocks agree, the first two are no later than the
     * newest timestamp of the record's batch, the last is no earlier than the record's. -1 if the log holds no such
     * record or no timestamp at all. Any thread.
     */
    public long timestampBound(long offset) {
        LogSegment[] current = segments;
        if (offset < logStartOffset || offset >= logEndOffset) {
            return -1;
        }
        int i = floor(current, offset);
        if (i < 0) {
            return -1;
        }
        long indexed = current[i].indexedTimestampAtOrBefore(offset);
        if (indexed >= 0) {
            return indexed;
        }
        if (i > 0 && current[i - 1].maxTimestamp() >= 0) {
            return current[i - 1].maxTimestamp();
        }
        return current[i].maxTimestamp();
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments) {
            total += segment.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.length;
    }

    public Path directory() {
        return dir;
    }

    /** Whether {@link #open} had to scan because the last shutdown was not clean. */
    public boolean recoveredOnOpen() {
        return recovered;
    }

    /** Tests: simulates a crash by closing the files without flushing, trimming or writing the marker. */
    void abandon() {
        synchronized (structureLock) {
            closed = true;
            closeAll(Arrays.asList(segments));
        }
    }

    /**
     * Records below this offset were in the log when the broker last crashed (the log end after that start's
     * recovery; 0 if this log never went through an unclean start), so they may have been delivered without the
     * broker remembering it.
     */
    public long possiblyDeliveredBelow() {
        return possiblyDeliveredBelow;
    }

    /** Flushes, trims preallocated space, syncs indexes and writes the clean-shutdown marker. Owner thread. */
    @Override
    public void close() throws IOException {
        synchronized (structureLock) {
            if (closed) {
                return;
            }
            flush();
            synchronized (flushLock) {
                closed = true;
                LogSegment last = active;
                try {
                    last.closeForAppend();
                    last.flushClosed();
                    recoveryPoint.write(last.baseOffset());
                    controls.write(dir, logEndOffset); // before the marker: a clean open may trust it
                    cleanShutdown.write(logEndOffset);
                    durableOffset = logEndOffset;
                } finally {
                    closeAll(Arrays.asList(segments));
                }
            }
        }
    }
}
