package io.heraldmq.connect.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Follows one path like {@code tail -F}. Each {@link #poll()} reads what was appended since the last one; an
 * unfinished last line stays in the {@link LineSplitter} until its {@code \n} arrives. Rotation is detected by file
 * identity ({@code BasicFileAttributes.fileKey()}, the inode on Unix) and size:
 * <ul>
 * <li>renamed (or deleted) and recreated: the old incarnation, still open, is read to its end first (its last line
 * without terminator and any multiline event under way included, since nothing will finish them), and once the
 * broker has acknowledged all of it, the new file is read from its beginning;</li>
 * <li>renamed (or deleted) and not recreated: the old incarnation keeps being followed; once it has been gone, fully
 * read and acknowledged for three polls in a row, it is closed and {@link #finished()};</li>
 * <li>truncated in place (copytruncate), seen by its size or by its first bytes ({@link FileHead}): reading starts
 * again at offset 0.</li>
 * </ul>
 * <p>
 * <b>Checkpoint.</b> The {@link Checkpoint} file records the end of the last event the broker acknowledged (events
 * are acknowledged in order), so a restart resumes after it: nothing acknowledged is read twice unless the
 * connector died between the acknowledgement and the next checkpoint write, and nothing unacknowledged is skipped.
 * A new incarnation's checkpoint (offset 0) is written as soon as it is opened, so a restart cannot mistake it for
 * the old one.
 * <p>
 * <b>Rotated names.</b> A glob that also matches the rotated names ({@code app.log*}) finds the old incarnation again
 * under its new name. The source knows it by identity ({@link Incarnations}): it is not followed while another path
 * still reads it, and afterwards it is read on from where that path stopped, not again from its start.
 * <p>
 * <b>Not detected:</b> a truncation after which the file regrows past the old position with the same first bytes
 * before the next poll, and a file that reuses the inode of a deleted one and starts with the same bytes (a
 * checkpoint whose first bytes differ is not applied). Lines appended to the old incarnation after the switch to the new one are lost,
 * as with {@code tail -F}; so are unacknowledged lines of a file truncated in place.
 */
final class TailedFile implements FollowedFile {
    private static final System.Logger LOG = System.getLogger(TailedFile.class.getName());
    private static final int READ_SIZE = 64 * 1024;
    /** Bytes read per poll at most, so one busy file does not starve the others of one source. */
    private static final long READ_BUDGET = 8L * 1024 * 1024;
    private static final int GONE_POLLS = 3;

    private final Path file;
    private final String fileName;
    private final Path checkpointFile;
    private final boolean startAtEnd;
    private final FileSourceSettings settings;
    private final LinePipeline.EventSink sink;
    private final Incarnations incarnations;
    private final ByteBuffer buf = ByteBuffer.allocate(READ_SIZE);

    private Checkpoint resumeFrom;
    private Checkpoint written;
    private FileChannel channel;
    private String channelKey;
    /** {@link FileHead} of the open incarnation, extended as it grows to {@value FileHead#BYTES} bytes. */
    private String head = "";
    private LinePipeline pipeline;
    /** The new incarnation's key while the old one's last events wait for their acknowledgement. */
    private String switchTo;
    private int gonePolls;
    private boolean finished;
    private boolean polledBefore;
    private volatile long size;

    /**
     * @param startAtEnd without a checkpoint, start at the end of the file as it is now (else at its beginning)
     */
    TailedFile(Path file, Path checkpointFile, boolean startAtEnd, FileSourceSettings settings,
               LinePipeline.EventSink sink, Incarnations incarnations) throws IOException {
        this.incarnations = incarnations;
        this.file = file;
        this.fileName = file.toString();
        this.checkpointFile = checkpointFile;
        this.startAtEnd = startAtEnd;
        this.settings = settings;
        this.sink = sink;
        this.resumeFrom = Checkpoint.read(checkpointFile);
        this.written = resumeFrom;
    }

    @Override
    public void poll() throws IOException, InterruptedException {
        if (finished) {
            return;
        }
        if (switchTo != null) {
            if (!pipeline.allAcked()) {
                return;
            }
            writeCheckpoint();
            incarnations.left(written);
            closeChannel();
            String key = switchTo;
            switchTo = null;
            open(key, false);
        }
        String currentKey = keyOf(file);
        if (channel == null) {
            if (currentKey != null) {
                // start.at applies to the file as found at start; one that appears later is read whole
                open(currentKey, startAtEnd && !polledBefore);
            }
            polledBefore = true;
        } else if (currentKey == null || !currentKey.equals(channelKey)) {
            // Rotated: the path is gone or names another file. Drain what the old incarnation still holds.
            readAvailable();
            if (currentKey != null) {
                LOG.log(System.Logger.Level.INFO, fileName + " was rotated; reading the new file once the old one"
                        + " is acknowledged");
                pipeline.finish();
                switchTo = currentKey;
                return;
            }
            pipeline.flushIfQuiet(settings.multilineTimeout().toNanos());
            if (pipeline.readOffset() == channel.size() && pipeline.allAcked() && ++gonePolls >= GONE_POLLS) {
                pipeline.finish();
                if (pipeline.allAcked()) {
                    writeCheckpoint();
                    incarnations.left(written);
                    closeChannel();
                    finished = true;
                }
            }
            return;
        } else if (channel.size() < pipeline.readOffset() || !FileHead.matches(channel, head)) {
            // Shorter than what was read, or other first bytes: truncated in place (and perhaps written again).
            LOG.log(System.Logger.Level.INFO, fileName + " was truncated; reading from its start");
            newPipeline(0, 0);
            writeCheckpoint();
        }
        gonePolls = 0;
        if (channel != null) {
            readAvailable();
            pipeline.flushIfQuiet(settings.multilineTimeout().toNanos());
        }
    }

    /** Opens the incarnation whose key is {@code key}: at the checkpoint if it belongs to it, else at 0 or the end. */
    private void open(String key, boolean atEnd) throws IOException {
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
        if (appliesTo(cp, key, ch)) {
            newPipeline(cp.offset(), cp.line());
            return;
        }
        Checkpoint known = incarnations.find(key);
        if (appliesTo(known, key, ch)) {
            // A file this source read under another name (rotated to this one): go on where it stopped.
            LOG.log(System.Logger.Level.INFO, fileName + " was read before as " + known.file() + "; reading on from"
                    + " offset " + known.offset());
            newPipeline(known.offset(), known.line());
            writeCheckpoint();
            return;
        }
        if (cp != null) {
            LOG.log(System.Logger.Level.INFO, "checkpoint " + checkpointFile + " is for another incarnation of "
                    + fileName + "; reading it from its start");
            atEnd = false;
        }
        newPipeline(atEnd ? ch.size() : 0, 0);
        // Saved at once, so a restart cannot mistake this incarnation for the old one (e.g. by size).
        writeCheckpoint();
    }

    /** Whether {@code cp} is about the incarnation open in {@code ch}: same inode, long enough, same first bytes. */
    private static boolean appliesTo(Checkpoint cp, String key, FileChannel ch) throws IOException {
        return cp != null && cp.fileKey().equals(key) && cp.offset() <= ch.size() && FileHead.matches(ch, cp.head());
    }

    private void newPipeline(long offset, long line) {
        head = "";
        pipeline = new LinePipeline(fileName, channelKey, offset, line, (int) settings.maxLineBytes(),
                settings.multilineStart(), sink);
    }

    private void readAvailable() throws IOException, InterruptedException {
        long readPos = pipeline.readOffset();
        long budget = READ_BUDGET;
        size = channel.size();
        while (budget > 0 && !Thread.currentThread().isInterrupted()) {
            buf.clear();
            int n = channel.read(buf, readPos);
            if (n <= 0) {
                break;
            }
            readPos += n;
            budget -= n;
            pipeline.feed(buf.array(), n);
        }
        size = channel.size();
    }

    @Override
    public void writeCheckpoint() throws IOException {
        if (pipeline == null) {
            return;
        }
        if (channel != null && FileHead.length(head) < FileHead.BYTES && channel.size() > FileHead.length(head)) {
            head = FileHead.of(channel);
        }
        Checkpoint cp = pipeline.acked().withHead(head);
        if (!cp.equals(written)) {
            cp.write(checkpointFile);
            written = cp;
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public long lag() {
        LinePipeline p = pipeline;
        return p == null ? 0 : Math.max(0, size - p.acked().offset());
    }

    @Override
    public void close() {
        closeChannel();
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

    /** The identity of the incarnation being read, or null. */
    String currentKey() {
        return channelKey;
    }

    /** The file's identity, "" if the file system has none, null if the file does not exist. */
    static String keyOf(Path p) throws IOException {
        try {
            Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
            return key == null ? "" : key.toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
