package io.heraldmq.connect.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits one request body into records, all or nothing: a malformed body throws {@link MalformedBodyException}
 * naming the line (and column) before any record of it is published. Bodies are UTF-8.
 * <ul>
 * <li>{@link BodyFormat#NDJSON}: each line ({@code \n}, an optional {@code \r} before it) holds one JSON object or
 * one JSON string; blank lines are skipped. An object's record body is the line as sent; a string's is its value.</li>
 * <li>{@link BodyFormat#JSON}: an array whose elements are JSON objects or strings, or a single object. An object's
 * record body is its original text (from its {@code &#123;} to its {@code &#125;}, line breaks included).</li>
 * <li>{@link BodyFormat#TEXT}: each line is a record; blank lines are skipped.</li>
 * </ul>
 * An object's top-level scalar fields (string, number, boolean; not null, not nested objects or arrays) become the
 * record's fields under {@link PropertyNames} names: strings as String, integers as Long (beyond a long: the digits as
 * a String), other numbers as Double. {@code fields}, when given, limits that to the named top-level fields.
 * <p>
 * A record longer than {@code maxBytes} (UTF-8) is cut at a character boundary and marked truncated; it is still
 * validated and its fields still taken from the whole of it. Whether it is sent cut or refused is the caller's
 * choice ({@code long.lines}). Not thread-safe (the name cache): one per event loop.
 */
final class HttpBodyParser {
    /** Thread-safe and reusable; parsers made from it recycle their buffers per thread. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * One record of a body.
     *
     * @param body       what to publish (cut when {@code truncated})
     * @param fields     the object's top-level scalar fields by property name; empty for strings and text lines
     * @param byteLength its length in the body, in bytes
     * @param truncated  whether it was longer than {@code maxBytes} and {@code body} holds only its start
     */
    record BodyRecord(String body, Map<String, Object> fields, int byteLength, boolean truncated) {
    }

    private final PropertyNames names;
    private final int maxBytes;
    private final Set<String> fields;

    /** @param fields the top-level fields to take, as they are named in the JSON; null for all */
    HttpBodyParser(PropertyNames names, int maxBytes, Set<String> fields) {
        this.names = names;
        this.maxBytes = maxBytes;
        this.fields = fields;
    }

    /** The records in the first {@code length} bytes of {@code body}, in order. */
    List<BodyRecord> parse(BodyFormat format, byte[] body, int length) throws MalformedBodyException {
        return switch (format) {
            case NDJSON -> ndjson(body, length);
            case JSON -> jsonArray(body, length);
            case TEXT -> text(body, length);
        };
    }

    private List<BodyRecord> text(byte[] b, int length) {
        List<BodyRecord> out = new ArrayList<>();
        int pos = 0;
        while (pos < length) {
            int end = lineEnd(b, pos, length);
            int textEnd = end > pos && b[end - 1] == '\r' ? end - 1 : end;
            if (textEnd > pos) {
                out.add(slice(b, pos, textEnd, Map.of()));
            }
            pos = end + 1;
        }
        return out;
    }

    private List<BodyRecord> ndjson(byte[] b, int length) throws MalformedBodyException {
        List<BodyRecord> out = new ArrayList<>();
        int pos = 0;
        int lineNo = 0;
        while (pos < length) {
            int end = lineEnd(b, pos, length);
            lineNo++;
            int textEnd = end > pos && b[end - 1] == '\r' ? end - 1 : end;
            if (!blank(b, pos, textEnd)) {
                try {
                    out.add(ndjsonLine(b, pos, textEnd, lineNo));
                } catch (JsonProcessingException e) {
                    throw new MalformedBodyException("line " + lineNo + ", column " + column(e.getLocation())
                            + ": " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw new MalformedBodyException("line " + lineNo + ": " + e.getMessage());
                }
            }
            pos = end + 1;
        }
        return out;
    }

    private BodyRecord ndjsonLine(byte[] b, int start, int end, int lineNo) throws IOException,
            MalformedBodyException {
        try (JsonParser p = JSON.createParser(b, start, end - start)) {
            JsonToken t = p.nextToken();
            BodyRecord r;
            if (t == JsonToken.START_OBJECT) {
                r = slice(b, start, end, objectFields(p));
            } else if (t == JsonToken.VALUE_STRING) {
                r = string(p.getText(), end - start);
            } else {
                throw new MalformedBodyException("line " + lineNo + ": a JSON object or string expected, found "
                        + describe(t));
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new MalformedBodyException("line " + lineNo + ", column " + column(p.currentTokenLocation())
                        + ": more than one JSON value on the line");
            }
            return r;
        }
    }

    private List<BodyRecord> jsonArray(byte[] b, int length) throws MalformedBodyException {
        List<BodyRecord> out = new ArrayList<>();
        int element = 0;
        try (JsonParser p = JSON.createParser(b, 0, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return out;
            }
            if (t == JsonToken.START_OBJECT) {
                out.add(object(p, b));
            } else if (t == JsonToken.START_ARRAY) {
                for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    element++;
                    if (t == JsonToken.START_OBJECT) {
                        out.add(object(p, b));
                    } else if (t == JsonToken.VALUE_STRING) {
                        out.add(string(p.getText(), p.getTextLength()));
                    } else {
                        throw new MalformedBodyException(at(p.currentTokenLocation(), element)
                                + "a JSON object or string expected, found " + describe(t));
                    }
                }
                element = 0;
            } else {
                throw new MalformedBodyException(at(p.currentTokenLocation(), 0)
                        + "a JSON array or object expected, found " + describe(t));
            }
            if (p.nextToken() != null) {
                throw new MalformedBodyException(at(p.currentTokenLocation(), 0)
                        + "more after the end of the JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(at(e.getLocation(), element) + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedBodyException(e.getMessage());
        }
        return out;
    }

    /** An object element: its fields, and its original text as the body. The parser is on its START_OBJECT. */
    private BodyRecord object(JsonParser p, byte[] b) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        Map<String, Object> f = objectFields(p);
        int end = (int) p.currentTokenLocation().getByteOffset() + 1; // just after the '}'
        return slice(b, start, end, f);
    }

    /** Reads an object up to and including its END_OBJECT, keeping its top-level scalar fields. */
    private Map<String, Object> objectFields(JsonParser p) throws IOException {
        Map<String, Object> out = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            if (fields != null && !fields.contains(field)) {
                continue;
            }
            Object value = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText()
                        : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> null; // VALUE_NULL
            };
            if (value != null) {
                out.put(names.of(field), value);
            }
        }
        return out;
    }

    /** The bytes {@code [start, end)} as a record, cut to {@code maxBytes}. */
    private BodyRecord slice(byte[] b, int start, int end, Map<String, Object> f) {
        int len = end - start;
        if (len <= maxBytes) {
            return new BodyRecord(new String(b, start, len, StandardCharsets.UTF_8), f, len, false);
        }
        int cut = start + maxBytes;
        while (cut > start && (b[cut] & 0xC0) == 0x80) {
            cut--; // do not split a character: back off continuation bytes
        }
        return new BodyRecord(new String(b, start, cut - start, StandardCharsets.UTF_8), f, len, true);
    }

    /** A JSON string's value as a record, cut to {@code maxBytes} of UTF-8. */
    private BodyRecord string(String s, int sourceLength) {
        if ((long) s.length() * 3 <= maxBytes) {
            return new BodyRecord(s, Map.of(), sourceLength, false); // cannot be too long even if all 3-byte
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return new BodyRecord(s, Map.of(), sourceLength, false);
        }
        BodyRecord r = slice(utf8, 0, utf8.length, Map.of());
        return new BodyRecord(r.body(), Map.of(), Math.max(sourceLength, utf8.length), true);
    }

    private static int lineEnd(byte[] b, int from, int length) {
        for (int i = from; i < length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return length;
    }

    private static boolean blank(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String at(JsonLocation l, int element) {
        String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
        if (element > 0) {
            where += (where.isEmpty() ? "" : " ") + "(element " + element + ")";
        }
        return where.isEmpty() ? "" : where + ": ";
    }

    private static String column(JsonLocation l) {
        return l == null ? "?" : String.valueOf(l.getColumnNr());
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            default -> t.asString() != null ? t.asString() : t.name();
        };
    }
}
