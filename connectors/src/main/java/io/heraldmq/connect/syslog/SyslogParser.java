package io.heraldmq.connect.syslog;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one syslog message (without its transport framing).
 * <p>
 * <b>RFC 5424</b>: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]}, {@code -} for a
 * nil field, structured data as {@code [SD-ID PARAM="VALUE" ...]...} with {@code \"}, {@code \\} and {@code \]}
 * escaped in values. Strict: a message that claims version 1 and breaks this is refused.
 * <p>
 * <b>RFC 3164</b> (anything after {@code <PRI>} that is not version 1): {@code Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG},
 * parsed leniently as relays do: without a timestamp the rest is taken as hostname and message, without a tag
 * the rest is the message. The timestamp gets the current year (the previous one if that would put it more than a
 * day in the future) and the zone given to the parser.
 * <p>
 * PRI is required: a line without {@code <0>}..{@code <191>} is refused.
 */
public final class SyslogParser {
    /** Structured data parameters kept as properties per message, at most. */
    static final int MAX_SD_PARAMS = 32;

    private final Clock clock;
    private final ZoneId zone;

    public SyslogParser(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public SyslogMessage parse(String line) {
        if (!line.startsWith("<")) {
            throw new IllegalArgumentException("no <PRI> at the start");
        }
        int close = line.indexOf('>');
        if (close < 2 || close > 4) {
            throw new IllegalArgumentException("bad <PRI>");
        }
        int pri;
        try {
            pri = Integer.parseInt(line.substring(1, close));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad <PRI>");
        }
        if (pri < 0 || pri > 191) {
            throw new IllegalArgumentException("<PRI> out of range: " + pri);
        }
        String rest = line.substring(close + 1);
        if (rest.startsWith("1 ")) {
            return rfc5424(pri, rest.substring(2));
        }
        return rfc3164(pri, rest);
    }

    private SyslogMessage rfc5424(int pri, String s) {
        Cursor c = new Cursor(s);
        String timestamp = c.field("TIMESTAMP");
        if (timestamp != null && !Rfc5424Timestamp.isValid(timestamp)) {
            throw new IllegalArgumentException("bad RFC 5424 TIMESTAMP: " + timestamp);
        }
        String host = c.field("HOSTNAME");
        String app = c.field("APP-NAME");
        String procid = c.field("PROCID");
        String msgid = c.field("MSGID");
        Map<String, String> params = new LinkedHashMap<>();
        String sd = c.structuredData(params);
        String msg = c.rest();
        return new SyslogMessage("rfc5424", pri / 8, pri % 8, timestamp, host, app, procid, msgid, sd,
                params, msg);
    }

    private SyslogMessage rfc3164(int pri, String s) {
        String timestamp = null;
        String rest = s;
        if (s.length() >= 16 && s.charAt(15) == ' ') {
            String t = s.substring(0, 15);
            try {
                LocalDateTime parsed = LocalDateTime.parse(clock.instant().atZone(zone).getYear() + " "
                        + t.replace("  ", " "), DateTimeFormatter.ofPattern("yyyy " + "MMM d HH:mm:ss",
                        Locale.ROOT));
                ZonedDateTime z = parsed.atZone(zone);
                if (z.isAfter(ZonedDateTime.now(clock).plusDays(1))) {
                    z = z.minusYears(1);
                }
                timestamp = z.toOffsetDateTime().toString();
                rest = s.substring(16);
            } catch (DateTimeParseException e) {
                // no timestamp: a relay takes the rest as it is
            }
        }
        String host = null;
        if (timestamp != null) {
            int sp = rest.indexOf(' ');
            if (sp > 0) {
                host = rest.substring(0, sp);
                rest = rest.substring(sp + 1);
            }
        }
        String app = null;
        String procid = null;
        int i = 0;
        while (i < rest.length() && i < 48 && isTagChar(rest.charAt(i))) {
            i++;
        }
        if (i > 0 && i < rest.length() && (rest.charAt(i) == ':' || rest.charAt(i) == '[')) {
            int end = i;
            if (rest.charAt(i) == '[') {
                int rb = rest.indexOf(']', i);
                if (rb > i && rb + 1 < rest.length() && rest.charAt(rb + 1) == ':') {
                    procid = rest.substring(i + 1, rb);
                    end = rb + 1;
                } else {
                    end = -1;
                }
            }
            if (end >= 0) {
                app = rest.substring(0, i);
                rest = rest.substring(end + 1);
                if (rest.startsWith(" ")) {
                    rest = rest.substring(1);
                }
            }
        }
        return new SyslogMessage("rfc3164", pri / 8, pri % 8, timestamp, host, app, procid, null, null, Map.of(),
                rest);
    }

    private static boolean isTagChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/';
    }

    /** Walks an RFC 5424 header. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        /** The next space-terminated header field; null for {@code -}. */
        String field(String name) {
            int sp = s.indexOf(' ', pos);
            if (sp < 0) {
                throw new IllegalArgumentException("RFC 5424 message ends before " + name);
            }
            String v = s.substring(pos, sp);
            pos = sp + 1;
            if (v.isEmpty()) {
                throw new IllegalArgumentException("empty RFC 5424 " + name);
            }
            return v.equals("-") ? null : v;
        }

        String structuredData(Map<String, String> params) {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("RFC 5424 message ends before STRUCTURED-DATA");
            }
            if (s.charAt(pos) == '-') {
                pos++;
                return null;
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) == '[') {
                element(params);
            }
            if (pos == start) {
                throw new IllegalArgumentException("bad RFC 5424 STRUCTURED-DATA at: " + excerpt());
            }
            return s.substring(start, pos);
        }

        private void element(Map<String, String> params) {
            pos++; // '['
            String id = name("SD-ID");
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
                String param = name("PARAM-NAME");
                if (pos >= s.length() || s.charAt(pos) != '=' || pos + 1 >= s.length() || s.charAt(pos + 1) != '"') {
                    throw new IllegalArgumentException("bad RFC 5424 SD-PARAM " + param + " at: " + excerpt());
                }
                pos += 2;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (pos >= s.length()) {
                        throw new IllegalArgumentException("unterminated RFC 5424 PARAM-VALUE of " + param);
                    }
                    char ch = s.charAt(pos++);
                    if (ch == '"') {
                        break;
                    }
                    if (ch == '\\' && pos < s.length() && "\"\\]".indexOf(s.charAt(pos)) >= 0) {
                        ch = s.charAt(pos++);
                    }
                    v.append(ch);
                }
                if (params.size() < MAX_SD_PARAMS) {
                    params.put(propertyName("sd_" + id + "_" + param), v.toString());
                }
            }
            if (pos >= s.length() || s.charAt(pos) != ']') {
                throw new IllegalArgumentException("unterminated RFC 5424 SD-ELEMENT " + id);
            }
            pos++;
        }

        /** An SD-ID or PARAM-NAME: printable ASCII except {@code = ] "} and space, 1 to 32 characters. */
        private String name(String what) {
            int start = pos;
            while (pos < s.length()) {
                char ch = s.charAt(pos);
                if (ch <= 32 || ch >= 127 || ch == '=' || ch == ']' || ch == '"') {
                    break;
                }
                pos++;
            }
            if (pos == start || pos - start > 32) {
                throw new IllegalArgumentException("bad RFC 5424 " + what + " at: " + excerpt());
            }
            return s.substring(start, pos);
        }

        String rest() {
            if (pos >= s.length()) {
                return "";
            }
            if (s.charAt(pos) != ' ') {
                throw new IllegalArgumentException("no space before RFC 5424 MSG at: " + excerpt());
            }
            String msg = s.substring(pos + 1);
            return msg.startsWith("\uFEFF") ? msg.substring(1) : msg;
        }

        private String excerpt() {
            return s.substring(pos, Math.min(s.length(), pos + 20));
        }
    }

    /** {@code name} with every character a JMS property name may not contain replaced by {@code _}. */
    static String propertyName(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(i == 0 ? (Character.isJavaIdentifierStart(c) ? c : '_')
                    : (Character.isJavaIdentifierPart(c) && c != '$' ? c : '_'));
        }
        return b.toString();
    }
}
