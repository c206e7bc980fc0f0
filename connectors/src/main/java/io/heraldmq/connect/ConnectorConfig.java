package io.heraldmq.connect;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a connectors file: Java properties (UTF-8) where every key is {@code connector.<name>.<option>}, {@code name}
 * made of letters, digits, {@code _} and {@code -}, and each connector has a {@code type}. Everything is checked
 * before anything starts: an unknown key, a missing required option or a value that does not parse is an
 * {@link IllegalArgumentException} naming the full key.
 */
public final class ConnectorConfig {
    private static final String PREFIX = "connector.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private ConnectorConfig() {
    }

    public static List<ConnectorSettings> load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return parse(m);
    }

    /** The connectors in {@code properties}, in name order. */
    public static List<ConnectorSettings> parse(Map<String, String> properties) {
        return parse(properties, null);
    }

    /**
     * As {@link #parse(Map)}, with {@code defaultUrl} as the {@code url} of every connector that takes one and does
     * not name it: inside the broker, the connectors talk to that broker unless told otherwise.
     */
    public static List<ConnectorSettings> parse(Map<String, String> properties, String defaultUrl) {
        // name -> (option key -> text), sorted so errors and start order do not depend on hashing
        Map<String, Map<String, String>> byName = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.', PREFIX.length());
            if (!key.startsWith(PREFIX) || dot < 0 || dot == key.length() - 1) {
                throw new IllegalArgumentException("unknown key " + key
                        + ": a connectors file holds connector.<name>.<option> keys only");
            }
            String name = key.substring(PREFIX.length(), dot);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad connector name in " + key
                        + ": letters, digits, _ and - only");
            }
            byName.computeIfAbsent(name, n -> new TreeMap<>()).put(key.substring(dot + 1), e.getValue());
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no connectors configured (connector.<name>.type = ...)");
        }
        List<ConnectorSettings> out = new ArrayList<>();
        byName.forEach((name, options) -> out.add(settings(name, options, defaultUrl)));
        return out;
    }

    private static ConnectorSettings settings(String name, Map<String, String> texts, String defaultUrl) {
        String prefix = PREFIX + name + ".";
        String typeText = texts.get(CommonOptions.TYPE.key());
        if (typeText == null) {
            throw new IllegalArgumentException("missing key " + prefix + "type");
        }
        ConnectorType type;
        try {
            type = ConnectorType.parse(typeText.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "type: " + e.getMessage());
        }
        Map<String, Option<?>> known = new HashMap<>();
        for (Option<?> o : type.options()) {
            known.put(o.key(), o);
        }
        Map<String, Object> values = new HashMap<>();
        Map<String, Map<String, String>> families = new TreeMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            Option<?> o = known.get(e.getKey());
            Option<?> family = o == null ? family(type, e.getKey()) : null;
            if (family != null) {
                families.computeIfAbsent(family.key(), k -> new TreeMap<>())
                        .put(e.getKey().substring(family.key().length()), e.getValue().trim());
                continue;
            }
            if (o == null) {
                throw new IllegalArgumentException("unknown key " + prefix + e.getKey() + " for type " + type
                        + " (known: " + type.options().stream().map(k -> k.isPrefix() ? k.key() + "*" : k.key())
                        .sorted().toList() + ")");
            }
            try {
                values.put(o.key(), o.parse(e.getValue()));
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new IllegalArgumentException(prefix + e.getKey() + ": " + ex.getMessage());
            }
        }
        families.forEach((key, map) -> values.put(key, Map.copyOf(map)));
        // A broker named by JNDI is named otherwise.
        if (defaultUrl != null && known.containsKey(CommonOptions.URL.key())
                && !values.containsKey(CommonOptions.URL.key()) && !values.containsKey(CommonOptions.JNDI.key())) {
            values.put(CommonOptions.URL.key(), defaultUrl);
        }
        for (Option<?> o : type.options()) {
            if (o.required() && !values.containsKey(o.key())) {
                throw new IllegalArgumentException("missing key " + prefix + o.key() + " (type " + type + ")");
            }
        }
        return new ConnectorSettings(name, type, values);
    }

    /** The family option ({@link Option#prefixed}) that {@code key} belongs to, or null. */
    private static Option<?> family(ConnectorType type, String key) {
        for (Option<?> o : type.options()) {
            if (o.isPrefix() && key.startsWith(o.key()) && key.length() > o.key().length()) {
                return o;
            }
        }
        return null;
    }
}
