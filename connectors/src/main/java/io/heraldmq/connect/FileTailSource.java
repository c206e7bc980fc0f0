package io.heraldmq.connect;

import jakarta.jms.JMSException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows a text file like {@code tail -F} and publishes every complete line through a {@link SourceRunner}.
 * <p>
 * A single scheduler thread polls the file every {@code pollInterval}. Each poll sends the complete lines appended
 * since the last one; an unfinished last line is left in the file and read again once its {@code \n} has arrived.
 * Rotation is detected by file identity ({@code BasicFileAttributes.fileKey()}, the inode on Unix) and size:
 * <ul>
 * <li>renamed (or deleted) and recreated: the old incarnation, still open, is read to its end first — including a
 * last line without terminator, since nothing will finish it — then the new file is read from its beginning;</li>
 * <li>renamed and not yet recreated: the old incarnation keeps being followed;</li>
 * <li>truncated in place (copytruncate): reading starts again at offset 0.</li>
 * </ul>
 * <p>
 * <b>Delivery.</b> After each line is sent PERSISTENT and acknowledged, the position is saved in the
 * {@link Checkpoint checkpoint file} (format there), so a stop and restart neither loses nor repeats a line. A crash
 * (or a broker failure whose ack is lost) between the send and the checkpoint write sends that one line again on
 * restart: at-least-once, duplicates recognisable by the {@code file} + {@code offset} properties. A failed send is
 * retried at the next poll from the checkpointed position, so order is kept.
 * <p>
 * <b>Not detected:</b> a truncation after which the file regrows past the old position before the next poll (size
 * alone cannot tell), and, across a connector restart, a file deleted and recreated with a reused inode number and
 * at least the checkpointed size. While running, the open channel keeps the old inode from being reused. Lines
 * appended to the old incarnation after the new file has been drained are lost, as with {@code tail -F}.
 */
public final class FileTailSource implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileTailSource.class.getName());
    private static final int READ_SIZE = 64 * 1024;

    private final Path file;
    private final String fileName;
    private final Path checkpointFile;
    private final Duration pollInterval;
    private final SourceRunner runner;
    private ScheduledExecutorService scheduler;
    private volatile boolean stopping;

    // Read state: touched only by the scheduler thread (and by stop() after that thread has finished).
    private Checkpoint resumeFrom;
    private FileChannel channel;
    private String channelKey;
    private long position; // offset of the next unsent line in the open incarnation; always at a line start
    private long line;     // lines sent from the open incarnation

    /**
     * @param file           the file to follow (it need not exist yet)
     * @param checkpointFile where the position is saved; its directory must exist
     * @param pollInterval   delay between the end of one poll and the start of the next
     * @param runner         publishes the lines; owned by the caller, who closes it after {@link #stop()}
     */
    public FileTailSource(Path file, Path checkpointFile, Duration pollInterval, SourceRunner runner) {
        this.file = file.toAbsolutePath().normalize();
        this.fileName = this.file.toString();
        this.checkpointFile = Objects.requireNonNull(checkpointFile, "checkpointFile");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        this.pollInterval = pollInterval;
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** Reads the checkpoint and starts polling. Throws if the checkpoint file exists but cannot be read. */
    public synchronized void start() throws IOException {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        resumeFrom = Checkpoint.read(checkpointFile);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "file-tail " + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::poll, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops polling: the poll under way finishes the line it is sending and its checkpoint, then the file is
     * closed. Idempotent. The runner is not closed.
     */
    public synchronized void stop() {
        if (scheduler == null || stopping) {
            return;
        }
        stopping = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                // Stuck in a send the broker never answers: interrupting is all that is left.
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeChannel();
    }

    @Override
    public void close() {
        stop();
    }

    /** One poll; never throws, because an exception would silently cancel the scheduled task. */
    private void poll() {
        try {
            pollOnce();
        } catch (JMSException e) {
            LOG.log(System.Logger.Level.WARNING, "send failed for " + fileName + "; retrying at the next poll: " + e);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading " + fileName + " failed; retrying at the next poll", e);
            // Reopen from the checkpointed position next time rather than trust a channel in an unknown state.
            closeChannel();
            resumeFrom = new Checkpoint(fileName, channelKey == null ? "" : channelKey, position, line);
        }
    }

    private void pollOnce() throws IOException, JMSException {
        String currentKey = keyOf(file);
        if (channel == null) {
            if (currentKey != null) {
                open(currentKey);
            }
        } else if (currentKey == null || !currentKey.equals(channelKey)) {
            // Rotated: the path is gone or names another file. Drain what the old incarnation still holds.
            boolean replaced = currentKey != null;
            sendLines(replaced);
            if (!replaced || stopping) {
                return;
            }
            LOG.log(System.Logger.Level.INFO, fileName + " was rotated; reading the new file from its start");
            closeChannel();
            open(currentKey);
        } else if (channel.size() < position) {
            LOG.log(System.Logger.Level.INFO, fileName + " was truncated; reading from its start");
            position = 0;
            line = 0;
            saveCheckpoint();
        }
        if (channel != null) {
            sendLines(false);
        }
    }

    /** Opens the incarnation whose key is {@code key}, at the checkpoint if it belongs to it, else at 0. */
    private void open(String key) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return; // rotated between the stat and the open; the next poll sees the new file
        }
        if (!key.equals(keyOf(file))) {
            ch.close(); // replaced between the stat and the open: we do not know what we opened
            return;
        }
        channel = ch;
        channelKey = key;
        Checkpoint cp = resumeFrom;
        resumeFrom = null;
        if (cp != null && cp.fileKey().equals(key) && cp.offset() <= ch.size()) {
            position = cp.offset();
            line = cp.line();
        } else {
            if (cp != null) {
                LOG.log(System.Logger.Level.INFO, "checkpoint " + checkpointFile + " is for another incarnation of "
                        + fileName + "; reading it from its start");
            }
            position = 0;
            line = 0;
            // Saved at once, so a restart cannot mistake this incarnation for the old one (e.g. by size).
            saveCheckpoint();
        }
    }

    /**
     * Sends every complete line from {@code position} to the current end of the open file, checkpointing after each.
     * With {@code finished}, a last line without terminator is sent as well.
     */
    private void sendLines(boolean finished) throws IOException, JMSException {
        LineSplitter splitter = new LineSplitter();
        ByteBuffer buf = ByteBuffer.allocate(READ_SIZE);
        long readPos = position;
        while (!stopping) {
            buf.clear();
            int n = channel.read(buf, readPos);
            if (n <= 0) {
                break;
            }
            readPos += n;
            splitter.append(buf.array(), 0, n);
            for (LineSplitter.Line l = splitter.next(); l != null; l = splitter.next()) {
                send(l);
                if (stopping) {
                    return;
                }
            }
        }
        if (finished && !stopping && splitter.pending() > 0) {
            send(splitter.remainder());
        }
    }

    private void send(LineSplitter.Line l) throws IOException, JMSException {
        runner.publish(new LogRecord(fileName, line + 1, position, l.text()));
        position += l.byteLength();
        line++;
        saveCheckpoint();
    }

    private void saveCheckpoint() throws IOException {
        new Checkpoint(fileName, channelKey, position, line).write(checkpointFile);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + fileName, e);
            }
            channel = null;
        }
    }

    /** The file's identity, "" if the file system has none, null if the file does not exist. */
    private static String keyOf(Path p) throws IOException {
        try {
            Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
            return key == null ? "" : key.toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
