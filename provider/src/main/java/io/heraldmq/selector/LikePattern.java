package io.heraldmq.selector;

/**
 * A compiled LIKE pattern: '_' matches any one character, '%' any sequence of characters (including none), the
 * escape character makes the '_', '%' or escape character after it literal, and every other character (including
 * regular-expression metacharacters) stands for itself. Characters are Unicode code points. Matching uses no regular
 * expressions and allocates nothing.
 */
final class LikePattern {
    private static final int ANY_ONE = -1;
    private static final int ANY_SEQUENCE = -2;

    /** Code points, or ANY_ONE / ANY_SEQUENCE; consecutive '%' are collapsed. */
    private final int[] elements;
    private final String text;

    private LikePattern(int[] elements, String text) {
        this.elements = elements;
        this.text = text;
    }

    /**
     * @param escape the escape character as a code point, or -1 for none
     * @throws IllegalArgumentException with the reason if the escape character is followed by anything but '_', '%'
     *         or itself (as in SQL92, an invalid escape sequence)
     */
    static LikePattern compile(String pattern, int escape, String text) {
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == escape) {
                if (i >= pattern.length()) {
                    throw new IllegalArgumentException("the LIKE pattern ends with its escape character");
                }
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                if (next != '_' && next != '%' && next != escape) {
                    throw new IllegalArgumentException("the escape character in a LIKE pattern must be followed by '_', '%' or itself");
                }
                out[n++] = next;
            } else if (cp == '_') {
                out[n++] = ANY_ONE;
            } else if (cp == '%') {
                if (n == 0 || out[n - 1] != ANY_SEQUENCE) {
                    out[n++] = ANY_SEQUENCE;
                }
            } else {
                out[n++] = cp;
            }
        }
        return new LikePattern(java.util.Arrays.copyOf(out, n), text);
    }

    boolean matches(String s) {
        final int[] p = elements;
        final int m = p.length;
        final int n = s.length();
        int pi = 0;
        int si = 0;
        int starP = -1; // index of the last '%' seen
        int starS = -1; // position in s that '%' has been matched up to
        while (si < n) {
            if (pi < m && p[pi] == ANY_SEQUENCE) {
                starP = pi++;
                starS = si;
                continue;
            }
            if (pi < m) {
                int cp = s.codePointAt(si);
                if (p[pi] == ANY_ONE || p[pi] == cp) {
                    pi++;
                    si += Character.charCount(cp);
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            // let the last '%' absorb one more character and retry
            pi = starP + 1;
            starS += Character.charCount(s.codePointAt(starS));
            si = starS;
        }
        while (pi < m && p[pi] == ANY_SEQUENCE) {
            pi++;
        }
        return pi == m;
    }

    @Override
    public String toString() {
        return text;
    }
}
