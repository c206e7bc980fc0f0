package io.heraldmq.bench.runner;

import io.heraldmq.bench.PageCache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What this machine allows a single synchronous PERSISTENT producer at best: one loopback round trip (a TCP echo
 * of 64 bytes with TCP_NODELAY) plus one fdatasync of 4 KiB ({@code FileChannel.force(false)} after a 4 KiB write
 * into a preallocated file on the disk the brokers' stores are on). Medians, so one stall does not decide it.
 * {@code 1 / (rtt + fsync)} messages per second is the ceiling a send-then-wait-for-disk protocol can reach. And
 * the disk's sequential read rate, as {@code dd bs=1M} would show it: a {@value #READ_PROBE_MIB} MiB file written,
 * synced, the page cache dropped ({@link PageCache}, root only; NaN otherwise), then read in 1 MiB blocks; the
 * ceiling of a replay from disk.
 */
record PhysicalLimits(double rttMicros, double fsyncMicros, double sequentialReadMBps) {
    private static final int ECHO_BYTES = 64;
    private static final int BLOCK = 4096;
    private static final int PREALLOCATED_BLOCKS = 1024;
    static final int READ_PROBE_MIB = 512;

    /**
     * The better of two measurements, component by component: a ceiling is what the machine showed it can do, and
     * other processes' disk traffic only ever makes one measurement worse.
     */
    PhysicalLimits best(PhysicalLimits other) {
        return new PhysicalLimits(Math.min(rttMicros, other.rttMicros), Math.min(fsyncMicros, other.fsyncMicros),
                Double.isNaN(sequentialReadMBps) ? other.sequentialReadMBps
                        : Math.max(sequentialReadMBps, Double.isNaN(other.sequentialReadMBps) ? 0
                        : other.sequentialReadMBps));
    }

    double messagesPerSecond() {
        return 1e6 / (rttMicros + fsyncMicros);
    }

    static PhysicalLimits measure(Path directory) throws IOException, InterruptedException {
        return new PhysicalLimits(loopbackRoundTripMicros(), fdatasyncMicros(directory),
                sequentialReadMBps(directory));
    }

    private static double loopbackRoundTripMicros() throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            Thread echo = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.setTcpNoDelay(true);
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    byte[] buffer = new byte[ECHO_BYTES];
                    while (readFully(in, buffer)) {
                        out.write(buffer);
                    }
                } catch (IOException ignored) {
                    // the measuring side closed the socket
                }
            }, "bench-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(loopback, server.getLocalPort()));
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[ECHO_BYTES];
                int warmup = 2_000;
                int rounds = 20_000;
                long[] samples = new long[rounds];
                for (int i = 0; i < warmup + rounds; i++) {
                    long start = System.nanoTime();
                    out.write(buffer);
                    if (!readFully(in, buffer)) {
                        throw new IOException("echo closed early");
                    }
                    if (i >= warmup) {
                        samples[i - warmup] = System.nanoTime() - start;
                    }
                }
                return median(samples) / 1000.0;
            } finally {
                echo.join(5_000);
            }
        }
    }

    private static double fdatasyncMicros(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("fsync-probe.dat");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(BLOCK);
            for (int i = 0; i < PREALLOCATED_BLOCKS; i++) {
                zeros.clear();
                channel.write(zeros, (long) i * BLOCK);
            }
            channel.force(true);
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            Arrays.fill(block.array(), (byte) 0x5a);
            long[] samples = new long[PREALLOCATED_BLOCKS];
            int taken = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (taken < samples.length && (taken < 50 || System.nanoTime() < deadline)) {
                block.clear();
                long start = System.nanoTime();
                channel.write(block, (long) taken * BLOCK);
                channel.force(false);
                samples[taken++] = System.nanoTime() - start;
            }
            return median(Arrays.copyOf(samples, taken)) / 1000.0;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double sequentialReadMBps(Path directory) throws IOException {
        Path file = directory.resolve("read-probe.dat");
        try {
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < block.capacity(); i++) {
                block.put(i, (byte) (i * 31 + 7)); // not zeros: a virtual disk may store zeros as holes
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int i = 0; i < READ_PROBE_MIB; i++) {
                    block.clear();
                    while (block.hasRemaining()) {
                        channel.write(block);
                    }
                }
                channel.force(true);
            }
            if (PageCache.drop() != null) {
                return Double.NaN;
            }
            long start = System.nanoTime();
            long read = 0;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                int n;
                do {
                    block.clear();
                    n = channel.read(block);
                    read += Math.max(n, 0);
                } while (n >= 0);
            }
            return read / ((System.nanoTime() - start) / 1e9) / 1e6;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                return false;
            }
            read += n;
        }
        return true;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
