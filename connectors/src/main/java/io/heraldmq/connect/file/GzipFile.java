package io.heraldmq.connect.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A compressed rotated file ({@code .gz}), read once from its start to its end. Its checkpoint counts uncompressed
 * bytes; a restart decompresses and skips up to it. Once everything is read and acknowledged the checkpoint is
 * written with {@code done=true} and the file is never opened again (while its identity stays the same).
 */
final class GzipFile implements FollowedFile {
    private static final System.Logger LOG = System.getLogger(GzipFile.class.getName());
    private static final int READ_SIZE = 64 * 1024;
    private static final long READ_BUDGET = 8L * 1024 * 1024;

    private final Path file;
    private final Path checkpointFile;
    private final FileSourceSettings settings;
    private final LinePipeline.EventSink sink;
    private final byte[] buf = new byte[READ_SIZE];
    private Checkpoint written;
    private InputStream in;
    private LinePipeline pipeline;
    private boolean atEnd;
    private boolean finished;
    private volatile long remaining;

    GzipFile(Path file, Path checkpointFile, FileSourceSettings settings, LinePipeline.EventSink sink)
            throws IOException {
        this.file = file;
        this.checkpointFile = checkpointFile;
        this.settings = settings;
        this.sink = sink;
        this.written = Checkpoint.read(checkpointFile);
        String key = TailedFile.keyOf(file);
        if (written != null && written.done() && written.fileKey().equals(key)) {
            finished = true;
        }
    }

    @Override
    public void poll() throws IOException, InterruptedException {
        if (finished) {
            return;
        }
        if (in == null) {
            open();
        }
        if (!atEnd) {
            long budget = READ_BUDGET;
            while (budget > 0) {
                int n = in.read(buf);
                if (n < 0) {
                    pipeline.finish();
                    atEnd = true;
                    break;
                }
                budget -= n;
                pipeline.feed(buf, n);
            }
        }
        if (atEnd && pipeline.allAcked()) {
            Checkpoint cp = pipeline.acked();
            done(new Checkpoint(cp.file(), cp.fileKey(), cp.offset(), cp.line(), true));
            LOG.log(System.Logger.Level.INFO, file + " read to its end");
        }
    }

    private void open() throws IOException {
        String key = TailedFile.keyOf(file);
        in = new GZIPInputStream(Files.newInputStream(file), READ_SIZE);
        long offset = 0;
        long line = 0;
        if (written != null && written.fileKey().equals(key)) {
            try {
                in.skipNBytes(written.offset());
            } catch (java.io.EOFException e) {
                throw new IOException(file + " is shorter than its checkpoint " + checkpointFile);
            }
            offset = written.offset();
            line = written.line();
        }
        pipeline = new LinePipeline(file.toString(), key == null ? "" : key, offset, line,
                (int) settings.maxLineBytes(), settings.multilineStart(), sink);
        remaining = Files.size(file);
    }

    private void done(Checkpoint cp) throws IOException {
        cp.write(checkpointFile);
        written = cp;
        finished = true;
        remaining = 0;
        close();
    }

    @Override
    public void writeCheckpoint() throws IOException {
        if (pipeline == null || finished) {
            return;
        }
        Checkpoint cp = pipeline.acked();
        if (!cp.equals(written)) {
            cp.write(checkpointFile);
            written = cp;
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    /** Compressed bytes of a file not finished yet (its uncompressed size is unknown until it is read). */
    @Override
    public long lag() {
        return remaining;
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + file, e);
            }
            in = null;
        }
    }
}
