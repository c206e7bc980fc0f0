package io.heraldmq.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bytes the broker processes have written to storage so far: the sum of {@code write_bytes} in
 * {@code /proc/<pid>/io} over the pids the runner passes in {@value #PROPERTY} (comma separated). The kernel counts a
 * page each time it turns dirty, so these are the bytes the page cache hands to the disk, zeros written ahead of the
 * data and pages written again after an fdatasync included; the journal's own commits (written by the kernel's
 * journal thread) are not. A scenario divides the growth of this figure over its whole run by the bytes it asked to
 * store (PERSISTENT messages times their body size), per broker: a cluster's members each store a copy, so there the
 * sum is divided by their number.
 * <p>
 * Floor: a producer that waits for an fdatasync after each small message makes the disk write the message's last page
 * again every time, about {@code 4096 / message bytes} per message whatever the broker does (a plain file written and
 * synced 1,100 bytes at a time shows 4.7).
 */
public final class DiskWrites {
    public static final String PROPERTY = "bench.broker.pids";
    /** The brokers' store directories, comma separated, for {@link #logBytes()}. */
    public static final String STORES_PROPERTY = "bench.broker.stores";

    private final List<Path> files = new ArrayList<>();
    private final List<Path> stores = new ArrayList<>();

    private DiskWrites() {
    }

    public static DiskWrites fromSystemProperties() {
        DiskWrites writes = new DiskWrites();
        for (String pid : System.getProperty(PROPERTY, "").split(",")) {
            if (!pid.isBlank()) {
                writes.files.add(Path.of("/proc", pid.trim(), "io"));
            }
        }
        for (String store : System.getProperty(STORES_PROPERTY, "").split(",")) {
            if (!store.isBlank()) {
                writes.stores.add(Path.of(store.trim()));
            }
        }
        return writes;
    }

    /** A reading of both figures, taken when a scenario starts. */
    public record Mark(long written, long logBytes) {
    }

    public Mark mark() {
        return new Mark(written(), logBytes());
    }

    /**
     * HeraldMQ's own stored bytes: the sizes of its segment files ({@code <store>/log/.../*.log}) without the zeros
     * an active segment carries ahead of its data, summed over the brokers, or -1 for a broker that keeps no such
     * files. (A batch whose own last bytes are zeros is counted a few bytes short.)
     */
    public long logBytes() {
        if (stores.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (Path store : stores) {
            Path log = store.resolve("log");
            if (!Files.isDirectory(log)) {
                return -1;
            }
            try (Stream<Path> paths = Files.walk(log)) {
                total += paths.filter(p -> p.getFileName().toString().endsWith(".log"))
                        .mapToLong(DiskWrites::sizeOf).sum();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return total;
    }

    private static long sizeOf(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = channel.size();
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            while (end > 0) {
                long from = Math.max(0, end - chunk.capacity());
                chunk.clear().limit((int) (end - from));
                while (chunk.hasRemaining() && channel.read(chunk, from + chunk.position()) >= 0) {
                    // read the whole chunk
                }
                for (int i = chunk.position() - 1; i >= 0; i--) {
                    if (chunk.get(i) != 0) {
                        return from + i + 1;
                    }
                }
                end = from;
            }
            return 0;
        } catch (IOException e) {
            return 0; // deleted by retention meanwhile
        }
    }

    /** Total {@code write_bytes} of the brokers, or -1 when they cannot be read (not Linux, no pids, not permitted). */
    public long written() {
        if (files.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (Path file : files) {
            try {
                long value = -1;
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("write_bytes:")) {
                        value = Long.parseLong(line.substring("write_bytes:".length()).trim());
                    }
                }
                if (value < 0) {
                    return -1;
                }
                total += value;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return total;
    }

    /**
     * Reports {@code disk-ratio}: bytes written since {@code before} per message body byte stored, and, for a broker
     * with segment files, {@code disk-ratio-log}: per byte its log grew (the message bodies with their headers).
     */
    public void report(ScenarioKey scenario, Mark before, long storedBytes) {
        Mark after = mark();
        if (before.written() < 0 || after.written() < 0) {
            return;
        }
        long written = after.written() - before.written();
        if (storedBytes > 0) {
            ResultLine.number(scenario, "disk-ratio", written / (double) storedBytes / files.size());
        }
        long grown = after.logBytes() - before.logBytes();
        if (before.logBytes() >= 0 && after.logBytes() >= 0 && grown > 0) {
            ResultLine.number(scenario, "disk-ratio-log", written / (double) grown);
        }
    }
}
