package io.heraldmq.connect;

import io.heraldmq.jms.HeraldConnectionFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point of the file-tail connector:
 * <pre>
 * FileTailConnector --url tcp://HOST:PORT --file PATH (--topic NAME | --queue NAME)
 *                   [--checkpoint PATH] [--poll-ms N] [--source NAME]
 * </pre>
 * The checkpoint defaults to {@code FILENAME.checkpoint} in the working directory (not next to the log, whose
 * directory is often not writable), the poll interval to 500 ms, the source name to {@code file-tail}. Runs until
 * the JVM is asked to exit (Ctrl-C, SIGTERM), then stops cleanly so the checkpoint is exact.
 */
public final class FileTailConnector {
    /** Parsed command line. */
    record Options(String url, Path file, String destination, boolean queue, Path checkpoint, Duration poll,
                   String source) {
    }

    private FileTailConnector() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: FileTailConnector --url tcp://HOST:PORT --file PATH (--topic NAME | --queue NAME)"
                    + " [--checkpoint PATH] [--poll-ms N] [--source NAME]");
            System.exit(2);
            return;
        }
        SourceRunner runner = new SourceRunner(new HeraldConnectionFactory(o.url()), o.destination(), o.queue(),
                o.source());
        FileTailSource source = new FileTailSource(o.file(), o.checkpoint(), o.poll(), runner);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            source.stop();
            runner.close();
            stopped.countDown();
        }, "file-tail shutdown"));
        source.start();
        stopped.await();
    }

    static Options parse(String[] args) {
        String url = null;
        String file = null;
        String topic = null;
        String queue = null;
        String checkpoint = null;
        String source = "file-tail";
        long pollMs = 500;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String value = rest.remove(0);
            switch (flag) {
                case "--url" -> url = value;
                case "--file" -> file = value;
                case "--topic" -> topic = value;
                case "--queue" -> queue = value;
                case "--checkpoint" -> checkpoint = value;
                case "--source" -> source = value;
                case "--poll-ms" -> {
                    try {
                        pollMs = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--poll-ms needs a number: " + value);
                    }
                    if (pollMs <= 0) {
                        throw new IllegalArgumentException("--poll-ms must be positive: " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option: " + flag);
            }
        }
        if (url == null || file == null) {
            throw new IllegalArgumentException("--url and --file are required");
        }
        if ((topic == null) == (queue == null)) {
            throw new IllegalArgumentException("give exactly one of --topic and --queue");
        }
        Path filePath = Path.of(file);
        Path cp = checkpoint != null ? Path.of(checkpoint) : Path.of(filePath.getFileName() + ".checkpoint");
        return new Options(url, filePath, topic != null ? topic : queue, queue != null, cp, Duration.ofMillis(pollMs),
                source);
    }
}
