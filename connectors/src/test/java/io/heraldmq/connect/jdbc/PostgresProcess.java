package io.heraldmq.connect.jdbc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: {@code initdb} into a fresh temporary directory, {@code pg_ctl start} on
 * 127.0.0.1 and a free port (TCP only, password authentication), {@link #stop()} and {@link #start()} again for
 * outages, and at {@link #close()} a stop and the directory deleted.
 * <p>
 * The binaries come from the PATH, else from the newest {@code /usr/lib/postgresql/N/bin} (Debian's
 * {@code postgresql} package puts them there only). PostgreSQL refuses to run as root, so as root every command
 * runs through {@code runuser} as the user {@code postgres} (or {@code nobody}), which owns the directory.
 */
final class PostgresProcess implements AutoCloseable {
    static final String USER = "heraldmq";
    static final String PASSWORD = "heraldmq-test";

    private final Path bin;
    private final List<String> asUser;
    private final Path dir;
    private final int port;
    private boolean running;

    private PostgresProcess(Path bin, List<String> asUser, Path dir, int port) {
        this.bin = bin;
        this.asUser = asUser;
        this.dir = dir;
        this.port = port;
    }

    /** The directory holding initdb and pg_ctl, or null. */
    static Path binaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path initdb = Path.of(d, "initdb");
                if (!d.isEmpty() && Files.isExecutable(initdb) && Files.isExecutable(Path.of(d, "pg_ctl"))) {
                    try {
                        return initdb.toRealPath().getParent(); // where postgres itself is, next to the real pg_ctl
                    } catch (IOException e) {
                        // a dangling link: look on
                    }
                }
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresProcess::majorVersion)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Why PostgreSQL cannot run here, or null if it can. */
    static String unavailable() {
        if (binaries() == null) {
            return "PostgreSQL binaries (initdb, pg_ctl) are neither on the PATH nor in /usr/lib/postgresql/*/bin; "
                    + "install the Debian package postgresql to run the PostgreSQL tests";
        }
        if (isRoot() && runuser() == null) {
            return "running as root without runuser to start PostgreSQL as an unprivileged user";
        }
        return null;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String runuser() {
        for (String p : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** initdb and start; throws naming the log if either fails. */
    static PostgresProcess launch() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("heraldmq-pg-");
        List<String> asUser = List.of();
        if (isRoot()) {
            String user = exitCode("id", "-u", "postgres") == 0 ? "postgres" : "nobody";
            asUser = List.of(runuser(), "-u", user, "--");
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setOwner(dir, owner);
        }
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (isRoot()) {
            Files.setOwner(pwfile, Files.getOwner(dir));
        }
        PostgresProcess pg = new PostgresProcess(bin, asUser, dir, freePort());
        pg.run("initdb", "-D", pg.data().toString(), "-U", USER, "--pwfile=" + pwfile, "--auth-host=scram-sha-256",
                "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.writeString(pg.data().resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nport = " + pg.port
                + "\nunix_socket_directories = ''\nmax_connections = 30\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        pg.start();
        return pg;
    }

    private Path data() {
        return dir.resolve("data");
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the stopped server again, on the same port and data. */
    void start() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
                "start");
        running = true;
    }

    /** A fast shutdown: clients are disconnected, what was committed stays. */
    void stop() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop");
        running = false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (running) {
                stop();
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void run(String command, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(command).toString());
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("heraldmq-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish: " + Files.readString(log));
            }
            if (p.exitValue() != 0) {
                Path serverLog = dir.resolve("postgres.log");
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                        + Files.readString(log) + (Files.exists(serverLog) ? Files.readString(serverLog) : ""));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int exitCode(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
