package io.heraldmq.connect.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of one {@code http-sink} POST, built message by message. Every line is one JSON value and ends with
 * {@code \n}:
 * <ul>
 * <li>{@code format = ndjson}: one line per message. A body that is a JSON object or array is written as it is, or
 * compacted onto one line if it spans several; any other body (a plain log line, invalid JSON) is written as a JSON
 * string.</li>
 * <li>{@code format = bulk} (Elasticsearch / OpenSearch {@code _bulk}): two lines per message, the action
 * {@code {"index":{"_index":"INDEX","_id":"JMS message id"}}} and the document: a body that is a JSON object as above,
 * any other body as {@code {"message":"BODY"}}. The {@code _id} makes a batch sent again after a failure overwrite
 * its own documents instead of adding copies.</li>
 * </ul>
 * Not thread-safe.
 */
final class BatchEncoder {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** How messages are written; see the class comment. */
    enum Format { NDJSON, BULK }

    private final Format format;
    private final String index;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final JsonGenerator gen;
    private int count;

    BatchEncoder(Format format, String index) {
        this.format = format;
        this.index = index;
        try {
            this.gen = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.setRootValueSeparator(new SerializedString("\n"));
    }

    /** Adds one message's body; {@code id} is its JMS message id (null if it has none). */
    void add(String text, String id) {
        try {
            JsonToken kind = jsonKind(text);
            if (format == Format.BULK) {
                gen.writeStartObject();
                gen.writeObjectFieldStart("index");
                gen.writeStringField("_index", index);
                if (id != null) {
                    gen.writeStringField("_id", id);
                }
                gen.writeEndObject();
                gen.writeEndObject();
                if (kind == JsonToken.START_OBJECT) {
                    writeJson(text);
                } else {
                    gen.writeStartObject();
                    gen.writeStringField("message", text);
                    gen.writeEndObject();
                }
            } else if (kind != null) {
                writeJson(text);
            } else {
                gen.writeString(text);
            }
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
    }

    /** Lines so far: messages added. */
    int count() {
        return count;
    }

    /** Bytes so far (before the final line feed), for the batch size limit. */
    int size() throws IOException {
        gen.flush();
        return out.size();
    }

    byte[] toBytes() {
        try {
            gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (count > 0) {
            out.write('\n'); // _bulk wants the last line terminated too
        }
        return out.toByteArray();
    }

    private void writeJson(String text) throws IOException {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            gen.writeRawValue(text);
            return;
        }
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            gen.copyCurrentStructure(p);
        }
    }

    /**
     * START_OBJECT or START_ARRAY if {@code text} is exactly one JSON object or array (whitespace around it
     * allowed), else null.
     */
    static JsonToken jsonKind(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length() || (text.charAt(i) != '{' && text.charAt(i) != '[')) {
            return null; // the common plain log line: no parse
        }
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            p.skipChildren();
            return p.nextToken() == null ? first : null;
        } catch (IOException e) {
            return null;
        }
    }
}
