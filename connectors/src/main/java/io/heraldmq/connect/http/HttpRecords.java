package io.heraldmq.connect.http;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.publish.OutboundRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the records of one request into the messages to publish: applies the long-line rule, fills the properties
 * and the destination template, picks the stream key, and counts.
 * <p>
 * Message: body = the record ({@link HttpBodyParser}); properties = the request's query parameters (as strings),
 * then the record's JSON fields over them, then {@code source} (the connector's name), {@code peer} (the client's
 * {@code address:port}) and {@code truncated} (on a cut record) over both; the template's {@code ${field}} takes any of
 * these names. {@code JMSXGroupID} = the values of the {@code group.by} fields joined by {@code /} ({@code -} for a
 * missing one) when at least one is present, else the client's address without its port: one stream per sender.
 * The records of one request are published grouped by stream, each stream in body order (order is kept per stream,
 * as JMSXGroupID promises, not across streams). Used on the source's one event loop only.
 */
final class HttpRecords {
    private static final System.Logger LOG = System.getLogger(HttpRecords.class.getName());

    /**
     * What is to be published of one request.
     *
     * @param records  in body order; the last one's callback reports that the broker has all of them
     * @param received records the body held
     * @param refused  records not published, being too long under {@code long.lines = refuse}
     */
    record Prepared(List<OutboundRecord> records, int received, int refused) {
    }

    private final String connectorName;
    private final DestinationTemplate destination;
    private final List<String> groupBy;
    private final CommonOptions.LongLines longLines;
    private final Counters counters;

    /** @param groupBy property names (already made valid) of the stream key's fields */
    HttpRecords(String connectorName, DestinationTemplate destination, List<String> groupBy,
                CommonOptions.LongLines longLines, Counters counters) {
        this.connectorName = connectorName;
        this.destination = destination;
        this.groupBy = List.copyOf(groupBy);
        this.longLines = longLines;
        this.counters = counters;
    }

    /**
     * @param parsed         the request's records, whose fields maps (mutable, new) hold its query parameters too
     * @param peer           the client's {@code address:port}
     * @param peerHost       the client's address
     * @param onAcknowledged run once the broker has acknowledged every record of the request (on the provider's
     *                       completion thread: quick, no JMS)
     */
    Prepared prepare(List<HttpBodyParser.BodyRecord> parsed, String peer,
                     String peerHost, Runnable onAcknowledged) {
        counters.recordsIn.addAndGet(parsed.size());
        List<HttpBodyParser.BodyRecord> kept = parsed;
        int cut = 0;
        int refused = 0;
        long longest = 0;
        for (HttpBodyParser.BodyRecord r : parsed) {
            if (r.truncated()) {
                cut++;
                longest = Math.max(longest, r.byteLength());
            }
        }
        if (cut > 0) {
            boolean refuse = longLines == CommonOptions.LongLines.REFUSE;
            LOG.log(System.Logger.Level.WARNING, connectorName + ": " + cut + " record(s) from " + peer
                    + " longer than max.line.bytes (the longest " + longest + " bytes); " + (refuse ? "refused"
                    : "cut"));
            if (refuse) {
                kept = new ArrayList<>(parsed.size() - cut);
                for (HttpBodyParser.BodyRecord r : parsed) {
                    if (!r.truncated()) {
                        kept.add(r);
                    }
                }
                refused = cut;
                counters.dropped.addAndGet(refused);
            }
        }
        // Grouped by stream, each stream in body order: the provider puts consecutive records of one stream into one
        // record batch, and a request interleaving many hosts would otherwise cost a batch per record.
        Map<String, List<Pending>> streams = new LinkedHashMap<>();
        for (HttpBodyParser.BodyRecord r : kept) {
            Map<String, Object> p = properties(r, peer);
            streams.computeIfAbsent(group(p, peerHost), k -> new ArrayList<>()).add(new Pending(r.body(), p));
        }
        List<OutboundRecord> out = new ArrayList<>(kept.size());
        Runnable none = () -> { };
        for (Map.Entry<String, List<Pending>> stream : streams.entrySet()) {
            for (Pending r : stream.getValue()) {
                boolean last = out.size() == kept.size() - 1;
                out.add(new OutboundRecord(destination.render(r.properties()::get), r.body(), r.properties(),
                        stream.getKey(), last ? onAcknowledged : none));
            }
        }
        return new Prepared(out, parsed.size(), refused);
    }

    private record Pending(String body, Map<String, Object> properties) {
    }

    /** The record's fields (the request's and its own, see {@link HttpBodyParser}) with this source's over them. */
    private Map<String, Object> properties(HttpBodyParser.BodyRecord r, String peer) {
        Map<String, Object> p = r.fields();
        p.put("source", connectorName);
        p.put("peer", peer);
        if (r.truncated()) {
            p.put("truncated", true);
        }
        return p;
    }

    private String group(Map<String, Object> p, String peerHost) {
        StringBuilder b = null;
        boolean any = false;
        for (String field : groupBy) {
            Object v = p.get(field);
            if (b == null) {
                b = new StringBuilder();
            } else {
                b.append('/');
            }
            if (v == null) {
                b.append('-');
            } else {
                b.append(v);
                any = true;
            }
        }
        return any ? b.toString() : peerHost;
    }
}
