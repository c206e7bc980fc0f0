package io.heraldmq.connect.jdbc;

import org.h2.tools.Server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/** An H2 database in a temporary directory behind H2's TCP server on 127.0.0.1, in this JVM. */
final class H2TcpServer implements TestDatabase {
    private final Path dir;
    private final int port;
    private Server server;
    private Connection keeper;

    private H2TcpServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static H2TcpServer launch() throws IOException, SQLException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        H2TcpServer h2 = new H2TcpServer(Files.createTempDirectory("heraldmq-h2-"), port);
        h2.start();
        return h2;
    }

    @Override
    public String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/sink";
    }

    @Override
    public String user() {
        return "heraldmq";
    }

    @Override
    public String password() {
        return "heraldmq-test";
    }

    @Override
    public void start() throws SQLException {
        // -ifNotExists: the first client creates the database
        server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", dir.toString(),
                "-ifNotExists").start();
        // Held open while the server runs, as a database server keeps its database open: H2 otherwise closes the
        // database with its last connection and opens it again with the next (a crash test that polled with a new
        // connection every 5 ms under heavy load once found its table empty after that; not investigated further).
        keeper = connect();
    }

    @Override
    public void stop() throws SQLException {
        keeper.close();
        server.stop();
        server = null;
    }

    @Override
    public void close() throws IOException, SQLException {
        if (server != null) {
            stop();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
