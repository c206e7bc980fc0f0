package io.heraldmq.server.cli;

import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** A duration as ISO-8601 ({@code PT24H}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}. */
class DurationConverter implements ITypeConverter<Duration> {
    private final boolean zeroAllowed;

    DurationConverter() {
        this(false);
    }

    private DurationConverter(boolean zeroAllowed) {
        this.zeroAllowed = zeroAllowed;
    }

    /** The same, where 0 (a bare {@code 0} too) means "none": a redelivery delay, say. */
    static final class ZeroAllowed extends DurationConverter {
        ZeroAllowed() {
            super(true);
        }
    }

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (zeroAllowed && v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
        String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}};
        for (String[] u : units) {
            if (v.endsWith(u[0]) && !(u[0].equals("s") && v.endsWith("ms"))) {
                long n = Long.parseLong(v.substring(0, v.length() - u[0].length()).trim());
                if (n < 0 || n == 0 && !zeroAllowed) {
                    throw new IllegalArgumentException("must be positive: " + value);
                }
                return Duration.ofMillis(Math.multiplyExact(n, Long.parseLong(u[1])));
            }
        }
        throw new IllegalArgumentException("not a duration (e.g. 24h, 7d, PT30M): " + value);
    }
}
