package io.heraldmq.connect.syslog;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationName;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.LineSplitter;
import io.heraldmq.connect.publish.OutboundRecord;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a received syslog frame into the record to publish: parses it, applies the long-line rule, fills the
 * properties and the destination template, and counts. A frame that cannot be published (unparseable, or too long
 * under {@code long.lines = refuse}) gets a log line and is counted as dropped.
 * <p>
 * Message: body = the MSG part ({@code body = message}) or the whole frame ({@code body = raw}); properties
 * {@code source}, {@code protocol}, {@code facility} and {@code severity} (int), and when present {@code timestamp},
 * {@code host}, {@code app}, {@code procid}, {@code msgid}, {@code structuredData} and one {@code sd_<id>_<name>} per
 * structured-data parameter (see {@link SyslogMessage}), {@code truncated} on a cut message, {@code peer} (the
 * sender's address); {@code JMSXGroupID} = {@code host/app}. Used on the source's one event loop only.
 */
final class SyslogRecords {
    static final Set<String> FIELDS = Set.of("host", "app", "procid", "msgid", "severity", "facility", "protocol");

    private static final System.Logger LOG = System.getLogger(SyslogRecords.class.getName());

    private final String connectorName;
    private final SyslogParser parser;
    private final DestinationTemplate destination;
    private final CommonOptions.LongLines longLines;
    private final boolean rawBody;
    private final Counters counters;

    SyslogRecords(String connectorName, SyslogParser parser, DestinationTemplate destination,
                  CommonOptions.LongLines longLines, boolean rawBody, Counters counters) {
        this.connectorName = connectorName;
        this.parser = parser;
        this.destination = destination;
        this.longLines = longLines;
        this.rawBody = rawBody;
        this.counters = counters;
    }

    String connectorName() {
        return connectorName;
    }

    Counters counters() {
        return counters;
    }

    /** The record for a frame, or null if it was refused (logged and counted). */
    OutboundRecord toRecord(LineSplitter.Line frame, String peer) {
        counters.recordsIn.incrementAndGet();
        if (frame.truncated()) {
            boolean refuse = longLines == CommonOptions.LongLines.REFUSE;
            LOG.log(System.Logger.Level.WARNING, connectorName + ": a syslog message of " + frame.byteLength()
                    + " bytes from " + peer + " is longer than max.line.bytes; " + (refuse ? "refused" : "cut"));
            if (refuse) {
                counters.dropped.incrementAndGet();
                return null;
            }
        }
        SyslogMessage m;
        try {
            m = parser.parse(frame.text());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, connectorName + ": refused a syslog message from " + peer + ": "
                    + e.getMessage() + ": " + excerpt(frame.text()));
            counters.dropped.incrementAndGet();
            return null;
        }
        Map<String, Object> p = new HashMap<>(16);
        p.put("source", connectorName);
        p.put("protocol", m.protocol());
        p.put("facility", m.facility());
        p.put("severity", m.severity());
        putIfPresent(p, "timestamp", m.timestamp());
        putIfPresent(p, "host", m.host());
        putIfPresent(p, "app", m.app());
        putIfPresent(p, "procid", m.procid());
        putIfPresent(p, "msgid", m.msgid());
        putIfPresent(p, "structuredData", m.structuredData());
        p.putAll(m.sdParams());
        p.put("peer", peer);
        if (frame.truncated()) {
            p.put("truncated", true);
        }
        DestinationName d = destination.render(field -> switch (field) {
            case "host" -> m.host();
            case "app" -> m.app();
            case "procid" -> m.procid();
            case "msgid" -> m.msgid();
            case "severity" -> m.severity();
            case "facility" -> m.facility();
            default -> m.protocol();
        });
        String group = (m.host() == null ? "-" : m.host()) + "/" + (m.app() == null ? "-" : m.app());
        return new OutboundRecord(d, rawBody ? frame.text() : m.message(), p, group, () -> { });
    }

    private static void putIfPresent(Map<String, Object> p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    private static String excerpt(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
