package io.heraldmq.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * The audit trail: one line per authentication (success or failure), refused permission, administrative operation
 * and destination created or deleted, separate from the broker's log. Lines go to {@code audit.file} when set
 * (appended, written through at once, not fsynced), else to the logger {@value #LOGGER} at INFO (the broker's
 * log, or a file of its own as the distribution's {@code config/logback.xml} routes it); with
 * {@code audit.enabled = false} nowhere.
 * <p>
 * Line format: {@code <ISO-8601 UTC time> <EVENT> key=value key=value ...}, events {@code AUTH_OK},
 * {@code AUTH_FAILED}, {@code DENIED}, {@code ADMIN}, {@code CREATED}, {@code DELETED}. A value made only of
 * letters, digits and {@code . _ - : / # * @ [ ] ,} is written as it is, any other in double quotes, with
 * backslash, double quote and control characters escaped (backslash-n, or backslash-u and four hex digits): user
 * names come from clients, and a line break in one must not forge a line. An anonymous client's user is {@code -}.
 */
public final class AuditLog implements AutoCloseable {
    public static final String LOGGER = "io.heraldmq.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Writes nothing. */
    public static final AuditLog OFF = new AuditLog(false, null);

    private final boolean enabled;
    /** Null: the logger {@value #LOGGER}. */
    private final Writer file;

    private AuditLog(boolean enabled, Writer file) {
        this.enabled = enabled;
        this.file = file;
    }

    /**
     * The audit log the settings ask for.
     *
     * @throws IOException when {@code audit.file} cannot be opened for appending (the broker does not start)
     */
    public static AuditLog open(SecuritySettings settings) throws IOException {
        if (!settings.auditEnabled()) {
            return OFF;
        }
        Path path = settings.auditFile();
        if (path == null) {
            return new AuditLog(true, null);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new AuditLog(true, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    public void authenticated(String user, String remote, String connectionId, String relayFor) {
        if (enabled) {
            write(line("AUTH_OK").field("user", user).field("remote", remote).field("connection", connectionId)
                    .fieldIf("relayFor", relayFor));
        }
    }

    public void authenticationFailed(String user, String remote, String reason) {
        if (enabled) {
            write(line("AUTH_FAILED").field("user", user).field("remote", remote).field("reason", reason));
        }
    }

    /** @param destination as {@link ConnectionAccess#describe} names it, e.g. {@code queue://orders} */
    public void denied(String user, Permission permission, String destination, String connectionId) {
        if (enabled) {
            write(line("DENIED").field("user", user).field("permission", permission.key())
                    .field("destination", destination).field("connection", connectionId));
        }
    }

    /** An administrative operation, after it ran: {@code outcome} is {@code ok} or the error. */
    public void admin(String user, String operation, Map<String, String> arguments, String outcome) {
        if (enabled) {
            Line l = line("ADMIN").field("user", user).field("operation", operation);
            new java.util.TreeMap<>(arguments).forEach((k, v) -> l.field("arg." + k, v));
            write(l.field("outcome", outcome));
        }
    }

    public void created(String user, String destination) {
        if (enabled) {
            write(line("CREATED").field("user", user).field("destination", destination));
        }
    }

    public void deleted(String user, String destination) {
        if (enabled) {
            write(line("DELETED").field("user", user).field("destination", destination));
        }
    }

    private static Line line(String event) {
        return new Line(event);
    }

    private void write(Line line) {
        String text = line.toString();
        if (file == null) {
            AUDIT.info(text);
            return;
        }
        synchronized (this) {
            try {
                file.write(Instant.now().toString());
                file.write(' ');
                file.write(text);
                file.write('\n');
                file.flush();
            } catch (IOException e) {
                LOG.error("cannot write the audit file; lost audit line: {}", text, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warn("closing the audit file", e);
            }
        }
    }

    /** One line being built. */
    private static final class Line {
        private final StringBuilder b;

        Line(String event) {
            b = new StringBuilder(96).append(event);
        }

        Line field(String key, String value) {
            b.append(' ').append(key).append('=');
            quote(b, value == null ? "-" : value);
            return this;
        }

        Line fieldIf(String key, String value) {
            return value == null ? this : field(key, value);
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }

    static void quote(StringBuilder b, String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c < 128 && (Character.isLetterOrDigit(c) || ".-_:/#*@[],".indexOf(c) >= 0);
        }
        if (plain) {
            b.append(v);
            return;
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
