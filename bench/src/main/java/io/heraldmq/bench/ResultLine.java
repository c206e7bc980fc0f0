package io.heraldmq.bench;

import java.util.Locale;

/**
 * The load generator reports to the runner on stdout, one line per number:
 * {@code RESULT <scenario> <metric> <value>}, where value is a decimal number, or {@code FAILED <reason>} /
 * {@code UNSUPPORTED <reason>} with metric {@code status}.
 */
public final class ResultLine {
    public static final String PREFIX = "RESULT ";

    private ResultLine() {
    }

    public static void number(ScenarioKey scenario, String metric, double value) {
        emit(PREFIX + scenario.key() + " " + metric + " " + String.format(Locale.ROOT, "%.3f", value));
    }

    public static void failed(ScenarioKey scenario, String reason) {
        emit(PREFIX + scenario.key() + " status FAILED " + oneLine(reason));
    }

    public static void unsupported(ScenarioKey scenario, String reason) {
        emit(PREFIX + scenario.key() + " status UNSUPPORTED " + oneLine(reason));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }

    private static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
