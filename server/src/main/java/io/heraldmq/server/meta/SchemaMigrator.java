package io.heraldmq.server.meta;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Brings the schema up to date by running the versioned scripts that {@code schema_version} does not list yet.
 *
 * <p>No Flyway: the needs are small (forward-only, one embedded database, scripts on the classpath) and a
 * dependency of that size for a hundred lines is not worth it.
 *
 * <p>H2 commits implicitly on DDL, so a script is not atomic. Scripts therefore use {@code IF NOT EXISTS}
 * forms where they can, so that re-running a script interrupted by a crash is harmless; the version row is
 * written last, after the script's statements.
 *
 * <p>Scripts are split on a {@code ;} that ends a line, and lines starting with {@code --} are dropped; a
 * script must not put {@code ;} at the end of a line inside a string literal.
 */
final class SchemaMigrator {
    private final List<Migration> migrations;

    SchemaMigrator(List<Migration> migrations) {
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort((a, b) -> Integer.compare(a.version(), b.version()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).version() == sorted.get(i - 1).version()) {
                throw new IllegalArgumentException("duplicate migration version " + sorted.get(i).version());
            }
        }
        this.migrations = List.copyOf(sorted);
    }

    /** Runs the missing scripts on {@code c} (auto-commit off) and returns the versions it ran. */
    List<Integer> migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + " version INT PRIMARY KEY, description VARCHAR NOT NULL, checksum BIGINT NOT NULL,"
                    + " applied_at BIGINT NOT NULL)");
        }
        c.commit();
        Map<Integer, Long> applied = applied(c);
        int newest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        for (int v : applied.keySet()) {
            if (v > newest) {
                // A newer broker wrote this database; an older one must not run on a schema it does not know.
                throw new IllegalStateException("metadata schema version " + v + " is newer than this broker ("
                        + newest + ")");
            }
        }
        List<Integer> ran = new ArrayList<>();
        for (Migration m : migrations) {
            String sql = load(m.resource());
            long checksum = checksum(sql);
            Long recorded = applied.get(m.version());
            if (recorded != null) {
                if (recorded != checksum) {
                    throw new IllegalStateException("migration V" + m.version() + " (" + m.resource()
                            + ") changed after it was applied; add a new version instead");
                }
                continue;
            }
            run(c, m, sql, checksum);
            ran.add(m.version());
        }
        return ran;
    }

    private static Map<Integer, Long> applied(Connection c) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static void run(Connection c, Migration m, String sql, long checksum) throws SQLException {
        try {
            try (Statement s = c.createStatement()) {
                for (String statement : statements(sql)) {
                    s.execute(statement);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.description());
                ps.setLong(3, checksum);
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw new SQLException("migration V" + m.version() + " (" + m.resource() + ") failed: "
                    + e.getMessage(), e);
        }
    }

    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                if (!current.toString().isBlank()) {
                    out.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String load(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script not on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** CRC32 of the script with line endings normalised, so a checkout with CRLF does not count as a change. */
    private static long checksum(String sql) {
        CRC32 crc = new CRC32();
        crc.update(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
