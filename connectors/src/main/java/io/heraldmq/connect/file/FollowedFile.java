package io.heraldmq.connect.file;

import java.io.IOException;

/** A file a file source reads: a live one it tails ({@link TailedFile}) or a compressed rotated one it reads once. */
interface FollowedFile {
    /**
     * Reads what is new and publishes it; blocks while the publisher's window is full. Called by the source's thread
     * only.
     */
    void poll() throws IOException, InterruptedException;

    /** Writes the checkpoint if what is acknowledged has moved since the last write. */
    void writeCheckpoint() throws IOException;

    /** Whether the file is finished with and may be forgotten (gone, or read once, and all acknowledged). */
    boolean finished();

    /** Bytes not yet acknowledged, as of the last poll. */
    long lag();

    void close();
}
