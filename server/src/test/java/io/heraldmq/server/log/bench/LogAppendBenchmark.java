package io.heraldmq.server.log.bench;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.LogConfig;
import io.heraldmq.server.log.PartitionLog;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Append throughput of {@link PartitionLog} for 1 KiB records, one record per batch (what a PERSISTENT send of one
 * producer writes), next to plain {@link FileChannel} loops on the same disk as the physical limit. Not a test (no
 * {@code Test} suffix, surefire skips it) and nothing asserts speed: run it by hand on a quiet machine with
 * <pre>
 * mvn -q -pl server -am -Pbench process-test-classes
 * </pre>
 * (the {@code bench} profile of server/pom.xml runs {@link #main} in a JVM of its own with the test class path, so
 * JMH can fork). Files go to {@code server/target/bench} unless {@code -Dbench.dir=...} says otherwise.
 * <p>
 * What each row means:
 * <ul>
 * <li>{@code log always}: append, then {@link PartitionLog#flush} (fdatasync) after every record: one producer's
 * PERSISTENT sends with {@code log.flush.policy=always} and nothing to share the fsync with.</li>
 * <li>{@code log group16}: 16 appends, then one flush: what group commit achieves when 16 batches arrive while the
 * previous fsync runs.</li>
 * <li>{@code log never}: appends only; the page cache takes them ({@code log.flush.policy=never}, or
 * NON_PERSISTENT).</li>
 * <li>{@code raw force}: {@code FileChannel.write} of the same bytes at the end of a growing file, then
 * {@code force(false)}; {@code raw prealloc-force}: the same into a zero-filled file (as the log preallocates);
 * {@code raw noforce}: writes only.</li>
 * </ul>
 * Flushes run on the benchmark thread here; in the broker they run on the flush pool through {@code GroupCommit}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LogAppendBenchmark {
    static final int RECORD_BYTES = 1024;
    static final int GROUP = 16;
    /** Raw loops start a new file at this size, like a log segment roll. */
    static final long RAW_FILE_BYTES = LogConfig.defaults().segmentBytes();

    static Buffer oneRecordBatch() {
        byte[] payload = new byte[RECORD_BYTES];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        RecordBatch.Builder builder = new RecordBatch.Builder((short) 0, RECORD_BYTES + 64);
        builder.add(System.currentTimeMillis(), null, Buffer.buffer(payload));
        return builder.build();
    }

    static Path benchRoot() throws IOException {
        Path root = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(root);
        return root;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A fresh log per iteration, so every iteration starts with an empty segment and a bounded disk footprint. */
    @State(Scope.Thread)
    public static class LogState {
        @Param({"always", "group16", "never"})
        public String flush;

        Path dir;
        PartitionLog log;
        Buffer batch;

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = Files.createTempDirectory(benchRoot(), "log-");
            log = PartitionLog.open(dir, LogConfig.defaults(), Clock.systemUTC());
            batch = oneRecordBatch();
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            log.close();
            deleteTree(dir);
        }
    }

    @State(Scope.Thread)
    public static class RawState {
        @Param({"force", "prealloc-force", "noforce"})
        public String mode;

        Path dir;
        FileChannel channel;
        ByteBuffer bytes;
        long position;
        boolean force;
        boolean preallocate;

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = Files.createTempDirectory(benchRoot(), "raw-");
            force = !mode.equals("noforce");
            preallocate = mode.equals("prealloc-force");
            Buffer batch = oneRecordBatch();
            bytes = ByteBuffer.allocateDirect(batch.length());
            bytes.put(batch.getBytes()).flip();
            newFile();
        }

        void newFile() throws IOException {
            if (channel != null) {
                channel.close();
                Files.delete(dir.resolve("raw.dat"));
            }
            channel = FileChannel.open(dir.resolve("raw.dat"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            position = 0;
            if (preallocate) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long pos = 0; pos < RAW_FILE_BYTES; pos += zeros.capacity()) {
                    zeros.clear();
                    write(zeros, pos);
                }
                channel.force(true);
            }
        }

        void write(ByteBuffer buffer, long at) throws IOException {
            long pos = at;
            while (buffer.hasRemaining()) {
                pos += channel.write(buffer, pos);
            }
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            channel.close();
            channel = null;
            deleteTree(dir);
        }
    }

    @Benchmark
    public long logAppend(LogState s) throws IOException {
        switch (s.flush) {
            case "always" -> {
                long base = s.log.append(s.batch, 0);
                s.log.flush();
                return base;
            }
            case "never" -> {
                return s.log.append(s.batch, 0);
            }
            default -> throw new IllegalStateException("group16 runs in logAppendGroup: " + s.flush);
        }
    }

    /** Counts one operation per record, so its ops/s compare with the one-record rows. */
    @Benchmark
    @OperationsPerInvocation(GROUP)
    public long logAppendGroup(LogState s) throws IOException {
        long base = 0;
        for (int i = 0; i < GROUP; i++) {
            base = s.log.append(s.batch, 0);
        }
        s.log.flush();
        return base;
    }

    @Benchmark
    public long rawWrite(RawState s) throws IOException {
        if (s.position + s.bytes.capacity() > RAW_FILE_BYTES) {
            s.newFile();
        }
        s.bytes.clear();
        s.write(s.bytes, s.position);
        s.position += s.bytes.capacity();
        if (s.force) {
            s.channel.force(false);
        }
        return s.position;
    }

    public static void main(String[] args) throws Exception {
        // the forked JVMs inherit this one's arguments, -Dbench.dir included
        List<Options> runs = new ArrayList<>();
        String prefix = LogAppendBenchmark.class.getName() + ".";
        runs.add(new OptionsBuilder().include(prefix + "logAppend$").param("flush", "always", "never").build());
        runs.add(new OptionsBuilder().include(prefix + "logAppendGroup$").param("flush", "group16").build());
        runs.add(new OptionsBuilder().include(prefix + "rawWrite$").build());
        List<RunResult> results = new ArrayList<>();
        for (Options options : runs) {
            results.addAll(new Runner(options).run());
        }
        printTable(results);
    }

    private static void printTable(Collection<RunResult> results) {
        int batchBytes = oneRecordBatch().length();
        System.out.println();
        System.out.printf(Locale.ROOT, "1 KiB records, %d bytes per record batch on disk; MB = 10^6 bytes of log%n",
                batchBytes);
        System.out.printf(Locale.ROOT, "%-26s %14s %12s %10s%n", "variant", "records/s", "+-", "MB/s");
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String variant = method.startsWith("raw") ? "raw " + r.getParams().getParam("mode")
                    : "log " + r.getParams().getParam("flush");
            double opsPerSecond = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            System.out.printf(Locale.ROOT, "%-26s %14.0f %12.0f %10.1f%n", variant, opsPerSecond,
                    Double.isNaN(error) ? 0 : error, opsPerSecond * batchBytes / 1e6);
        }
        System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs, files in %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("bench.dir", "target/bench"));
    }
}
