package io.heraldmq.connect.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JSON field name or query parameter into a valid JMS property name (a selector identifier): every character
 * other than a letter, digit, {@code _} or {@code $} becomes {@code _}; a name that starts with a digit, is empty,
 * starts with {@code JMS} (reserved for the provider, e.g. {@code JMSXGroupID}) or is a selector keyword
 * ({@code NULL}, {@code AND}, ... in any case) gets a leading {@code _}. So {@code "user.id"} becomes {@code user_id},
 * {@code "2xx"} {@code _2xx}, {@code "JMSType"} {@code _JMSType}, {@code "and"} {@code _and}. Two names may end up
 * the same ({@code a.b}, {@code a_b}): the later field wins.
 * <p>
 * Field names repeat from record to record, so results are cached (up to 4,096 names; the cache is then emptied).
 * Not thread-safe: one per event loop.
 */
final class PropertyNames {
    private static final Set<String> KEYWORDS = Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN",
            "LIKE", "IN", "IS", "ESCAPE");
    private static final int CACHE_SIZE = 4096;

    private final Map<String, String> cache = new HashMap<>();

    String of(String field) {
        String name = cache.get(field);
        if (name == null) {
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();
            }
            name = sanitise(field);
            cache.put(field, name);
        }
        return name;
    }

    static String sanitise(String field) {
        StringBuilder b = new StringBuilder(field.length() + 1);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            b.append(Character.isLetterOrDigit(c) || c == '_' || c == '$' ? c : '_');
        }
        String s = b.toString();
        if (s.isEmpty() || Character.isDigit(s.charAt(0)) || s.startsWith("JMS")
                || KEYWORDS.contains(s.toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        return s;
    }

    /** Whether {@code name} is already a valid property name as this class makes them. */
    static boolean isValid(String name) {
        return sanitise(name).equals(name);
    }
}
