package io.heraldmq.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A source's destination: {@code topic://logs.${app}} or {@code queue://NAME}, with {@code ${field}} placeholders
 * filled from each record's parsed fields. Which fields exist is the source's to say, and a template naming another
 * is refused when the connector is configured, not at the first record.
 * <p>
 * A field that is missing or empty in a record renders as {@code unknown}; every character of a value other than
 * letters, digits, {@code .}, {@code _} and {@code -} renders as {@code _}, so a field cannot make up a name the
 * broker refuses or split one into unexpected levels. Rendered destinations are cached (up to 1,024), since most
 * sources see few distinct values.
 */
public final class DestinationTemplate {
    private static final int CACHE_SIZE = 1024;

    private final boolean queue;
    /** Literal text and field names, alternating: literal, field, literal, ..., literal. */
    private final List<String> parts;
    private final Map<String, DestinationName> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DestinationName> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private DestinationTemplate(boolean queue, List<String> parts) {
        this.queue = queue;
        this.parts = parts;
    }

    /**
     * @param uri    {@code topic://...} or {@code queue://...}
     * @param fields the field names the source provides
     */
    public static DestinationTemplate parse(String uri, Set<String> fields) {
        DestinationName d = DestinationName.parse(uri);
        List<String> parts = new ArrayList<>();
        String rest = d.name();
        while (true) {
            int open = rest.indexOf("${");
            if (open < 0) {
                parts.add(rest);
                break;
            }
            int close = rest.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed ${ in " + uri);
            }
            String field = rest.substring(open + 2, close);
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("unknown field ${" + field + "} in " + uri + "; this source has "
                        + fields.stream().sorted().toList());
            }
            parts.add(rest.substring(0, open));
            parts.add(field);
            rest = rest.substring(close + 1);
        }
        return new DestinationTemplate(d.queue(), List.copyOf(parts));
    }

    /** Whether the destination depends on the record. */
    public boolean isConstant() {
        return parts.size() == 1;
    }

    /** The destination for a record whose fields {@code field} looks up. Not thread-safe (one caller per source). */
    public DestinationName render(Function<String, Object> field) {
        if (isConstant()) {
            return cache.computeIfAbsent("", k -> new DestinationName(queue, parts.get(0)));
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                name.append(parts.get(i));
            } else {
                appendSafe(name, field.apply(parts.get(i)));
            }
        }
        String key = name.toString();
        return cache.computeIfAbsent(key, k -> new DestinationName(queue, k));
    }

    private static void appendSafe(StringBuilder b, Object value) {
        String s = value == null ? "" : value.toString();
        if (s.isEmpty()) {
            b.append("unknown");
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
    }
}
