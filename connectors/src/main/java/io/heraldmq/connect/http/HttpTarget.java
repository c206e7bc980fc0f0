package io.heraldmq.connect.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code http-sink}'s endpoint: POSTs a batch ({@code Content-Type: application/x-ndjson}, the configured headers
 * and bearer token) with the JDK's HTTP/1.1 client, blocking the sink's own thread, and says whether the endpoint took
 * it: a 2xx answer, and for {@code format = bulk} also a JSON object answer without {@code "errors": true}. A
 * {@code _bulk} answer with errors is a failure although some of its documents were indexed: the whole batch is sent
 * again (its {@code _id}s make that overwrite them), since a sink that commits cannot leave the others behind.
 */
final class HttpTarget {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final URI endpoint;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final boolean bulk;
    private final HttpClient client;

    /** @throws IllegalArgumentException for a header the JDK client does not let us set (Host, Connection, ...) */
    HttpTarget(URI endpoint, Map<String, String> headers, Duration timeout, boolean bulk) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.bulk = bulk;
        request(new byte[0]); // refuses restricted headers now rather than at the first batch
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b.build();
    }

    /** Null when the endpoint took the batch, else why it did not (for a log line). */
    String post(byte[] body) throws InterruptedException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(request(body), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return "no answer: " + e;
        }
        if (r.statusCode() / 100 != 2) {
            return "HTTP " + r.statusCode() + ": " + excerpt(r.body());
        }
        if (bulk && bulkFailed(r.body())) {
            return "the _bulk answer reports errors: " + excerpt(r.body());
        }
        return null;
    }

    /** Whether a {@code _bulk} answer says {@code "errors": true} at its top level, or is not a JSON object. */
    static boolean bulkFailed(byte[] answer) {
        try (JsonParser p = JSON.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("errors")) {
                    return v == JsonToken.VALUE_TRUE;
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String excerpt(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return body.length > 300 ? s + "..." : s;
    }

    URI endpoint() {
        return endpoint;
    }
}
