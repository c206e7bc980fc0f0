package io.heraldmq.connect.http;

import java.util.Locale;

/** The request bodies the {@code http} source takes, known by their {@code Content-Type} (parameters ignored). */
enum BodyFormat {
    /** {@code application/x-ndjson} (also {@code application/ndjson}, {@code application/jsonl}, {@code
     * application/x-jsonlines}): one JSON object or string per line. */
    NDJSON,
    /** {@code application/json}: an array of JSON objects or strings, or one object. */
    JSON,
    /** {@code text/plain}: one message per line. */
    TEXT;

    static final String SUPPORTED = "application/x-ndjson, application/json, text/plain";

    /** The format of a {@code Content-Type} header, or null if it is missing or not one of these. */
    static BodyFormat of(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" ->
                    NDJSON;
            case "application/json" -> JSON;
            case "text/plain" -> TEXT;
            default -> null;
        };
    }
}
