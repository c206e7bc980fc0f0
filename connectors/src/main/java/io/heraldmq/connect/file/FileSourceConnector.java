package io.heraldmq.connect.file;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.Option;
import io.heraldmq.connect.publish.OutboundRecord;
import io.heraldmq.connect.publish.Publisher;
import jakarta.jms.ConnectionFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The {@code file} source: follows every file matching {@code path} (a glob, e.g. {@code /var/log/app/*.log}) and
 * publishes each line, or each multiline event, as a PERSISTENT TextMessage. Properties: {@code source} (connector
 * name), {@code file} (absolute path), {@code line} (number of the event's first line in the file's incarnation),
 * {@code offset} (byte offset of its first line: with {@code file}, a key for consumers that drop the rare
 * duplicate), {@code truncated} (true, only on a cut event); {@code JMSXGroupID} = the file path. Template fields:
 * {@code file}, {@code filename}.
 * <p>
 * One thread reads all files, so a full publisher window stops all reading. The glob is scanned again every
 * {@code scan.interval}; a file found at the first scan without a checkpoint starts at {@code start.at}, one found
 * later at its beginning. {@code .gz} files matching the glob are read once if {@code gzip = true}, else ignored.
 * Checkpoints go to {@code checkpoint.dir}, one file per followed path.
 */
public final class FileSourceConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(FileSourceConnector.class.getName());

    public static final Option<String> PATH = Option.required("path", Option::text);
    public static final Option<String> CHECKPOINT_DIR = Option.optional("checkpoint.dir", null, Option::text);
    public static final Option<StartAt> START_AT = Option.optional("start.at", StartAt.BEGINNING,
            Option.oneOf(StartAt.class));
    public static final Option<Duration> POLL_INTERVAL = Option.optional("poll.interval", Duration.ofMillis(250),
            Option::duration);
    public static final Option<Duration> SCAN_INTERVAL = Option.optional("scan.interval", Duration.ofSeconds(1),
            Option::duration);
    public static final Option<Duration> CHECKPOINT_INTERVAL = Option.optional("checkpoint.interval",
            Duration.ofSeconds(1), Option::duration);
    public static final Option<Pattern> MULTILINE_START = Option.optional("multiline.start", null, Option::regex);
    public static final Option<Duration> MULTILINE_TIMEOUT = Option.optional("multiline.timeout",
            Duration.ofSeconds(1), Option::duration);
    public static final Option<Boolean> GZIP = Option.optional("gzip", false, Option::bool);

    public static final List<Option<?>> OPTIONS = concat(CommonOptions.SOURCE, List.of(PATH, CHECKPOINT_DIR,
            START_AT, POLL_INTERVAL, SCAN_INTERVAL, CHECKPOINT_INTERVAL, MULTILINE_START, MULTILINE_TIMEOUT, GZIP));

    /** Where a file without a checkpoint, found at start, is first read from. */
    public enum StartAt { BEGINNING, END }

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory connectionFactory;
    private final DestinationTemplate destination;
    private final FileGlob glob;
    private final Path checkpointDir;
    private final FileSourceSettings fileSettings;
    private final CommonOptions.LongLines longLines;
    private final Counters counters = new Counters();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    /** Followed files by absolute path; touched by the reader thread only (and by stop() after it ended). */
    private final Map<Path, FollowedFile> files = new HashMap<>();
    private final Incarnations incarnations = new Incarnations();
    private volatile List<FollowedFile> snapshot = List.of();
    private final long checkpointNanos;
    private long lastCheckpointNanos = System.nanoTime();
    private Publisher publisher;
    private Thread reader;
    private boolean stopped;

    public FileSourceConnector(ConnectorSettings config, ConnectionFactory connectionFactory) {
        this.name = config.name();
        this.config = config;
        this.connectionFactory = connectionFactory;
        try {
            this.destination = DestinationTemplate.parse(config.get(CommonOptions.DESTINATION),
                    Set.of("file", "filename"));
            this.glob = new FileGlob(config.get(PATH));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connector." + name + ": " + e.getMessage());
        }
        String dir = config.get(CHECKPOINT_DIR);
        this.checkpointDir = dir != null ? Path.of(dir) : Path.of("checkpoints", name);
        this.fileSettings = new FileSourceSettings(config.get(CommonOptions.MAX_LINE_BYTES),
                config.get(MULTILINE_START), config.get(MULTILINE_TIMEOUT));
        if (fileSettings.maxLineBytes() > Integer.MAX_VALUE - 1024 * 1024) {
            throw new IllegalArgumentException(config.key(CommonOptions.MAX_LINE_BYTES) + ": at most 2 GiB");
        }
        this.longLines = config.get(CommonOptions.LONG_LINES);
        this.checkpointNanos = config.get(CHECKPOINT_INTERVAL).toNanos();
        counters.lag(() -> snapshot.stream().mapToLong(FollowedFile::lag).sum());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public synchronized void start() throws IOException {
        Files.createDirectories(checkpointDir);
        incarnations.load(checkpointDir);
        publisher = new Publisher(name, connectionFactory, config.get(CommonOptions.WINDOW),
                CommonOptions.transactedBatch(config), counters);
        scan(config.get(START_AT) == StartAt.END);
        reader = new Thread(this::run, "file-source " + name);
        reader.start();
    }

    private void run() {
        long pollNanos = config.get(POLL_INTERVAL).toNanos();
        long scanNanos = config.get(SCAN_INTERVAL).toNanos();
        long lastScan = System.nanoTime();
        try {
            while (stopSignal.getCount() > 0) {
                if (System.nanoTime() - lastScan >= scanNanos) {
                    scan(false);
                    lastScan = System.nanoTime();
                }
                for (FollowedFile f : new ArrayList<>(files.values())) {
                    poll(f);
                }
                writeCheckpointsIfDue();
                stopSignal.await(pollNanos, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            // stop() interrupts a reader waiting for room in the window; it writes the checkpoints itself
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, name + ": file source stopped by an unexpected error", e);
        }
    }

    /**
     * Writes the checkpoints every {@code checkpoint.interval}; called between polls and for every event, since one
     * poll of a long file can last much longer than the interval.
     */
    private void writeCheckpointsIfDue() {
        long now = System.nanoTime();
        if (now - lastCheckpointNanos >= checkpointNanos) {
            lastCheckpointNanos = now;
            writeCheckpoints();
        }
    }

    private void poll(FollowedFile f) throws InterruptedException {
        try {
            f.poll();
        } catch (IOException | RuntimeException e) {
            // The file is in an unknown state: forget it and let the next scan open it again from its checkpoint.
            LOG.log(System.Logger.Level.WARNING, name + ": reading failed, reopening from the checkpoint: " + e);
            f.close();
            files.values().remove(f);
            updateSnapshot();
            return;
        }
        if (f.finished()) {
            f.close();
        }
    }

    private void scan(boolean first) {
        List<Path> found;
        try {
            found = glob.matches();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": cannot list " + glob + ": " + e);
            return;
        }
        for (Path p : found) {
            FollowedFile known = files.get(p);
            // A tailed file that finished (gone for a while) and is back is a new file; a finished .gz stays done.
            if (known != null && !(known.finished() && known instanceof TailedFile)) {
                continue;
            }
            boolean gz = p.getFileName().toString().endsWith(".gz");
            if (gz && !config.get(GZIP)) {
                continue;
            }
            try {
                if (!gz && readByAnother(p)) {
                    continue; // a rotated name of a file still read under its old one; taken up once that is done
                }
                Path cp = checkpointFile(p);
                files.put(p, gz ? new GzipFile(p, cp, fileSettings, sink(p))
                        : new TailedFile(p, cp, first, fileSettings, sink(p), incarnations));
                LOG.log(System.Logger.Level.INFO, name + ": following " + p);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": cannot follow " + p + ": " + e);
            }
        }
        // Forget finished files whose path is gone, so a long-running source does not collect them; a finished
        // file still present stays known, or the next scan would read it again.
        files.entrySet().removeIf(e -> e.getValue().finished() && !found.contains(e.getKey()));
        updateSnapshot();
    }

    /** Whether the file at {@code p} is the incarnation another followed path has open. */
    private boolean readByAnother(Path p) throws IOException {
        String key = TailedFile.keyOf(p);
        if (key == null || key.isEmpty()) {
            return false;
        }
        for (Map.Entry<Path, FollowedFile> e : files.entrySet()) {
            if (!e.getKey().equals(p) && e.getValue() instanceof TailedFile t && key.equals(t.currentKey())) {
                return true;
            }
        }
        return false;
    }

    private void updateSnapshot() {
        snapshot = List.copyOf(files.values());
    }

    /** {@code checkpoint.dir/<file name>-<hash of the path>.checkpoint}: readable, and unique per path. */
    private Path checkpointFile(Path p) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(p.toString().getBytes(StandardCharsets.UTF_8));
            String safe = p.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            return checkpointDir.resolve(safe + "-" + HexFormat.of().formatHex(d, 0, 8) + ".checkpoint");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private LinePipeline.EventSink sink(Path p) {
        String path = p.toString();
        String filename = p.getFileName().toString();
        return (event, onAcknowledged) -> {
            writeCheckpointsIfDue();
            counters.recordsIn.incrementAndGet();
            if (event.truncated()) {
                boolean refuse = longLines == CommonOptions.LongLines.REFUSE;
                LOG.log(System.Logger.Level.WARNING, name + ": line " + event.firstLine() + " at offset "
                        + event.startOffset() + " of " + path + " is longer than max.line.bytes; "
                        + (refuse ? "refused" : "cut"));
                if (refuse) {
                    counters.dropped.incrementAndGet();
                    return false;
                }
            }
            Map<String, Object> props = new HashMap<>(8);
            props.put("source", name);
            props.put("file", path);
            props.put("line", event.firstLine());
            props.put("offset", event.startOffset());
            if (event.truncated()) {
                props.put("truncated", true);
            }
            DestinationName d = destination.render(f -> f.equals("file") ? path : filename);
            publisher.put(new OutboundRecord(d, event.text(), props, path, onAcknowledged));
            return true;
        };
    }

    private void writeCheckpoints() {
        for (FollowedFile f : files.values()) {
            try {
                f.writeCheckpoint();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": cannot write a checkpoint: " + e);
            }
        }
    }

    /** Stops reading, waits up to 30 s for the broker to acknowledge what was sent, writes the checkpoints. */
    @Override
    public synchronized void stop() {
        if (stopped || reader == null) {
            return;
        }
        stopped = true;
        stopSignal.countDown();
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(30));
            if (!publisher.flush(Duration.ofSeconds(30))) {
                LOG.log(System.Logger.Level.WARNING, name + ": the broker did not acknowledge everything in 30 s;"
                        + " the rest is read again at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeCheckpoints();
        publisher.close();
        files.values().forEach(FollowedFile::close);
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }

    private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
        List<Option<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
