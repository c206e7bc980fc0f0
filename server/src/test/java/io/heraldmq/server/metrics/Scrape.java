package io.heraldmq.server.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /metrics} over HTTP, parsed from the Prometheus text format (enough of it for tests). */
public final class Scrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A sample: its labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final String text;
    final java.util.List<Sample> samples = new java.util.ArrayList<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public String text() {
        return text;
    }

    public static Scrape of(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = get(baseUrl + "/metrics");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
            throw new IllegalStateException("/metrics content type " + r.headers().firstValue("Content-Type"));
        }
        return new Scrape(r.body());
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; NaN if there is none. */
    public double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name.equals(name) && matches(s.labels, labels)) {
                sum += s.value;
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    boolean has(String name, String... labels) {
        return !Double.isNaN(value(name, labels));
    }

    /** Every metric family name, as a dashboard's query would use it (samples' names). */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Sample s : samples) {
            names.add(s.name);
        }
        return names;
    }

    private static boolean matches(Map<String, String> have, String... want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }
}
