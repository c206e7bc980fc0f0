package io.heraldmq.server.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the usable space of the file system holding the data directory, so that producers are refused while it is
 * nearly full instead of running it out of space: consumers can still read, acks and positions can still be
 * committed, and nothing already stored is at risk. Checked at {@link #start} and then every
 * {@value #CHECK_INTERVAL_MS} ms (as often as Artemis scans for {@code max-disk-usage}), on a worker thread since
 * {@code statvfs} may block (a network file system).
 * <p>
 * {@link #refusal()} is read on the connections' event loops without a lock: a volatile field set by the check.
 */
public final class DiskSpaceMonitor {
    public static final long CHECK_INTERVAL_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceMonitor.class);

    private final Vertx vertx;
    private final Path dir;
    private final long minFreeBytes;
    private volatile String refusal;
    private long timer = -1;

    /** @param minFreeBytes the {@code disk.min.free.bytes} setting; 0 turns the check off */
    public DiskSpaceMonitor(Vertx vertx, Path dir, long minFreeBytes) {
        this.vertx = vertx;
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Runs the first check; the future completes after it, so a broker starting on a full disk refuses at once. */
    public Future<Void> start() {
        if (minFreeBytes <= 0) {
            return Future.succeededFuture();
        }
        timer = vertx.setPeriodic(CHECK_INTERVAL_MS, CHECK_INTERVAL_MS, id -> check());
        return check();
    }

    /** Null while there is room; otherwise why a produce is refused, naming the free space and the setting. */
    public String refusal() {
        return refusal;
    }

    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private Future<Void> check() {
        return vertx.executeBlocking(() -> {
            FileStore store = Files.getFileStore(dir);
            return store.getUsableSpace();
        }, false).onSuccess(this::update).onFailure(e -> LOG.warn("cannot read the free space of {}: {}", dir,
                e.getMessage(), e instanceof IOException ? null : e))
                .<Void>mapEmpty().otherwiseEmpty();
    }

    private void update(long usable) {
        String was = refusal;
        if (usable < minFreeBytes) {
            refusal = "disk almost full: " + usable + " bytes free for " + dir.toAbsolutePath() + ", below "
                    + "disk.min.free.bytes=" + minFreeBytes + "; producing is refused until space is freed";
            if (was == null) {
                LOG.warn(refusal);
            }
        } else {
            refusal = null;
            if (was != null) {
                LOG.info("disk space back above disk.min.free.bytes={} ({} bytes free): producing resumes",
                        minFreeBytes, usable);
            }
        }
    }
}
