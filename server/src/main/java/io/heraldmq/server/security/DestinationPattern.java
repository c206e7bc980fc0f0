package io.heraldmq.server.security;

import java.util.Comparator;

/**
 * A destination name pattern of a {@code permission.<permission>.<pattern>} key. Names are split into words at
 * dots; in a pattern the word {@code *} matches exactly one word and {@code #} any number of words, none included
 * (so {@code orders.#} matches {@code orders}, {@code orders.eu} and {@code orders.eu.paid}; {@code orders.*} only
 * {@code orders.eu}); every other word matches itself. A pattern without wildcards matches one name exactly. The
 * syntax and the zero-word {@code #} are Artemis's address wildcards.
 * <p>
 * When several patterns of one permission match a name, the most specific decides alone ({@link #SPECIFICITY}):
 * <ol>
 * <li>an exact name beats any pattern with wildcards;</li>
 * <li>then more literal words before the first wildcard ({@code orders.eu.*} beats {@code orders.*.paid});</li>
 * <li>then more literal words in all ({@code orders.*.paid} beats {@code orders.#});</li>
 * <li>then fewer {@code #} ({@code orders.*} beats {@code orders.#});</li>
 * <li>then fewer {@code *}.</li>
 * </ol>
 * Patterns equal on all five (e.g. {@code a.*.#} and {@code a.#.*}) are equally specific: their roles are merged.
 *
 * @param text  the pattern as configured
 * @param words the pattern split at dots
 */
public record DestinationPattern(String text, String[] words) {
    static final String ONE = "*";
    static final String ANY = "#";

    /**
     * Most specific first. Compares only the pattern's shape, not whether it matches: callers compare patterns that
     * match one name.
     */
    public static final Comparator<DestinationPattern> SPECIFICITY = Comparator
            .comparing(DestinationPattern::exact).reversed()
            .thenComparing(Comparator.comparingInt(DestinationPattern::literalPrefix).reversed())
            .thenComparing(Comparator.comparingInt(DestinationPattern::literals).reversed())
            .thenComparingInt(p -> p.count(ANY))
            .thenComparingInt(p -> p.count(ONE));

    /** @throws IllegalArgumentException for an empty pattern */
    public static DestinationPattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a destination pattern must not be empty");
        }
        return new DestinationPattern(text, words(text));
    }

    /** A destination name's words, as patterns see them. */
    public static String[] words(String name) {
        return name.split("\\.", -1);
    }

    public boolean matches(String[] name) {
        return matches(words, 0, name, 0);
    }

    private static boolean matches(String[] pattern, int p, String[] name, int n) {
        while (p < pattern.length) {
            String w = pattern[p];
            if (w.equals(ANY)) {
                if (p == pattern.length - 1) {
                    return true;
                }
                // '#' takes 0, 1, 2, ... words: patterns are short, so plain backtracking does
                for (int skip = n; skip <= name.length; skip++) {
                    if (matches(pattern, p + 1, name, skip)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length || !(w.equals(ONE) || w.equals(name[n]))) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length;
    }

    /** No wildcard word. */
    public boolean exact() {
        return count(ONE) == 0 && count(ANY) == 0;
    }

    int literalPrefix() {
        int n = 0;
        while (n < words.length && !isWildcard(words[n])) {
            n++;
        }
        return n;
    }

    int literals() {
        int n = 0;
        for (String w : words) {
            if (!isWildcard(w)) {
                n++;
            }
        }
        return n;
    }

    int count(String wildcard) {
        int n = 0;
        for (String w : words) {
            if (w.equals(wildcard)) {
                n++;
            }
        }
        return n;
    }

    private static boolean isWildcard(String word) {
        return word.equals(ONE) || word.equals(ANY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DestinationPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
