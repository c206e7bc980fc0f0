package io.heraldmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audit lines: one per event, values quoted so that a client-chosen name cannot forge a line. */
class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void linesAreAppendedOnePerEventWithHostileValuesEscaped() throws Exception {
        Path file = dir.resolve("sub/audit.log");
        SecuritySettings settings = SecuritySettings.DEFAULTS.with(Map.of("audit.file", file.toString()));
        try (AuditLog log = AuditLog.open(settings)) {
            log.authenticated("alice", "127.0.0.1:5000", "b-1", null);
            log.authenticationFailed("mallory\n2026-01-01T00:00:00Z AUTH_OK user=root", "127.0.0.1:5001", "bad");
            log.denied(null, Permission.SEND, "queue://orders", "b-2");
            log.admin("alice", "CREATE_TOPIC", Map.of("name", "orders", "partitions", "3"), "ok");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\S+Z AUTH_OK user=alice remote=127.0.0.1:5000 connection=b-1"), lines.get(0));
        assertTrue(lines.get(1).contains("AUTH_FAILED user=\"mallory\\n2026-01-01T00:00:00Z AUTH_OK user=root\""),
                lines.get(1));
        assertTrue(lines.get(2).endsWith("DENIED user=- permission=send destination=queue://orders connection=b-2"),
                lines.get(2));
        assertTrue(lines.get(3).endsWith("ADMIN user=alice operation=CREATE_TOPIC arg.name=orders arg.partitions=3"
                + " outcome=ok"), lines.get(3));
    }

    @Test
    void offWritesNothing() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(SecuritySettings.DEFAULTS.with(Map.of("audit.file", file.toString(),
                "audit.enabled", "false")))) {
            log.authenticated("alice", "x", "y", null);
        }
        assertTrue(Files.notExists(file));
    }
}
