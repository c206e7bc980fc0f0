package io.heraldmq.connect;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One option of a connector type: the key after {@code connector.<name>.}, its default (null for a required option)
 * and how its text is parsed. A parser throws {@link IllegalArgumentException} with a message that says what was
 * expected; {@link ConnectorConfig} puts the full key in front of it.
 * <p>
 * A key ending in {@code .} ({@link #prefixed}) is a family of keys: {@code jndi.java.naming.factory.initial},
 * {@code jndi.connectionFactory.cf}, ... are collected into one map from what follows the prefix to the trimmed
 * text, passed on as they are (a JNDI environment); its parser is not used.
 *
 * @param <T> the parsed type
 */
public record Option<T>(String key, T defaultValue, boolean required, Function<String, T> parser) {
    public Option {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(parser, "parser");
    }

    public static <T> Option<T> required(String key, Function<String, T> parser) {
        return new Option<>(key, null, true, parser);
    }

    public static <T> Option<T> optional(String key, T defaultValue, Function<String, T> parser) {
        return new Option<>(key, defaultValue, false, parser);
    }

    /** Every key starting with {@code prefix} (which ends in {@code .}), collected into a map; empty by default. */
    public static Option<Map<String, String>> prefixed(String prefix) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix ends with a dot: " + prefix);
        }
        return new Option<>(prefix, Map.of(), false, s -> {
            throw new UnsupportedOperationException("the keys of " + prefix + "* are collected by ConnectorConfig");
        });
    }

    /** Whether this option is a family of keys ({@link #prefixed}). */
    public boolean isPrefix() {
        return key.endsWith(".");
    }

    public T parse(String text) {
        return parser.apply(text.trim());
    }

    // ---- parsers ----

    public static String text(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s;
    }

    public static int positiveInt(String s) {
        long v = positiveLong(s);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large: " + s);
        }
        return (int) v;
    }

    public static long positiveLong(String s) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + s);
        }
        if (v <= 0) {
            throw new IllegalArgumentException("must be positive: " + s);
        }
        return v;
    }

    public static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + s);
        };
    }

    /** A duration as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 1d}; must be positive. */
    public static Duration duration(String s) {
        int unitStart = 0;
        while (unitStart < s.length() && Character.isDigit(s.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 10s, 5m, 1h): " + s);
        }
        long n = positiveLong(s.substring(0, unitStart));
        return switch (s.substring(unitStart)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration (e.g. 500ms, 10s, 5m, 1h): " + s);
        };
    }

    /** A byte size as a number with an optional {@code k}, {@code m} or {@code g} suffix (powers of 1024). */
    public static long bytes(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (lower.endsWith("k") || lower.endsWith("m") || lower.endsWith("g")) {
            unit = switch (lower.charAt(lower.length() - 1)) {
                case 'k' -> 1024L;
                case 'm' -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            lower = lower.substring(0, lower.length() - 1);
        }
        return Math.multiplyExact(positiveLong(lower), unit);
    }

    /** Comma-separated paths (a provider's jars, or directories of them); existence is checked when they are used. */
    public static List<Path> paths(String s) {
        List<Path> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("an empty path in " + s);
            }
            try {
                out.add(Path.of(p));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("not a path: " + p);
            }
        }
        return List.copyOf(out);
    }

    public static Pattern regex(String s) {
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a regular expression: " + e.getDescription() + " in " + s);
        }
    }

    /** A parser for one of an enum's constants, written in lower case with {@code -} for {@code _}. */
    public static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
        return s -> {
            for (E e : type.getEnumConstants()) {
                if (name(e).equals(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("not one of " + Arrays.stream(type.getEnumConstants())
                    .map(Option::name).toList() + ": " + s);
        };
    }

    /** How an enum constant is written in a connectors file. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
