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
 * <li>{@link BodyFormat#NDJSON}: each line holds one JSON object or one JSON string; blank lines are skipped. An
 * object's record body is its text as sent (without the whitespace around it); a string's is its value.</li>
 * <li>{@link BodyFormat#JSON}: an array whose elements are JSON objects or strings, or a single object. An object's
 * record body is its original text (from its {@code &#123;} to its {@code &#125;}, line breaks included).</li>
 * <li>{@link BodyFormat#TEXT}: each line is a record; blank lines are skipped.</li>
 * </ul>
 * An object's top-level scalar fields (string, number, boolean; not null, not nested objects or arrays) become the
 * record's fields (over the caller's {@code base} fields, the request's own) under {@link PropertyNames} names: strings as String, integers as Long (beyond a long: the digits as
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

    /** The records in the first {@code length} bytes of {@code body}, in order, with no fields but their own. */
    List<BodyRecord> parse(BodyFormat format, byte[] body, int length) throws MalformedBodyException {
        return parse(format, body, length, Map.of());
    }

    /**
     * The records in the first {@code length} bytes of {@code body}, in order; each record's {@code fields} is a new
     * mutable map holding {@code base} (the request's own fields), then the record's fields over it.
     */
    List<BodyRecord> parse(BodyFormat format, byte[] body, int length, Map<String, Object> base)
            throws MalformedBodyException {
        return switch (format) {
            case NDJSON -> ndjson(body, length, base);
            case JSON -> jsonArray(body, length, base);
            case TEXT -> text(body, length, base);
        };
    }

    private List<BodyRecord> text(byte[] b, int length, Map<String, Object> base) {
        List<BodyRecord> out = new ArrayList<>();
        int pos = 0;
        while (pos < length) {
            int end = lineEnd(b, pos, length);
            int textEnd = end > pos && b[end - 1] == '\r' ? end - 1 : end;
            if (textEnd > pos) {
                out.add(slice(b, pos, textEnd, fieldMap(base, 0)));
            }
            pos = end + 1;
        }
        return out;
    }

    /**
     * One parser over the whole body (a parser per line costs more than parsing a short line): each root value must
     * start on a line of its own and end on the line it started on.
     */
    private List<BodyRecord> ndjson(byte[] b, int length, Map<String, Object> base) throws MalformedBodyException {
        List<BodyRecord> out = new ArrayList<>();
        int lastLine = 0;
        int line = 0;
        boolean inValue = false;
        try (JsonParser p = JSON.createParser(b, 0, length)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonLocation start = p.currentTokenLocation();
                line = start.getLineNr();
                inValue = true;
                if (line == lastLine) {
                    throw new MalformedBodyException("line " + line + ", column " + start.getColumnNr()
                            + ": more than one JSON value on the line");
                }
                BodyRecord r;
                if (t == JsonToken.START_OBJECT) {
                    r = object(p, b, base);
                } else if (t == JsonToken.VALUE_STRING) {
                    r = string(p.getText(), p.getTextLength(), base);
                } else {
                    throw new MalformedBodyException("line " + line + ": a JSON object or string expected, found "
                            + describe(t));
                }
                lastLine = p.currentTokenLocation().getLineNr();
                if (lastLine != line) {
                    throw new MalformedBodyException("line " + line + ": the JSON value goes on to line " + lastLine
                            + " (one value per line)");
                }
                inValue = false;
                out.add(r);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            if (inValue && (l == null || l.getLineNr() != line)) {
                // The parser read on past the end of the line where the broken value started: name that line.
                throw new MalformedBodyException("line " + line + ": not a complete JSON value: "
                        + shortMessage(e));
            }
            throw new MalformedBodyException("line " + (l == null ? line : l.getLineNr()) + ", column "
                    + column(l) + ": " + shortMessage(e));
        } catch (IOException e) {
            throw new MalformedBodyException("line " + line + ": " + e.getMessage());
        }
        return out;
    }

    private List<BodyRecord> jsonArray(byte[] b, int length, Map<String, Object> base)
            throws MalformedBodyException {
        List<BodyRecord> out = new ArrayList<>();
        int element = 0;
        try (JsonParser p = JSON.createParser(b, 0, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return out;
            }
            if (t == JsonToken.START_OBJECT) {
                out.add(object(p, b, base));
            } else if (t == JsonToken.START_ARRAY) {
                for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    element++;
                    if (t == JsonToken.START_OBJECT) {
                        out.add(object(p, b, base));
                    } else if (t == JsonToken.VALUE_STRING) {
                        out.add(string(p.getText(), p.getTextLength(), base));
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
            throw new MalformedBodyException(at(e.getLocation(), element) + shortMessage(e));
        } catch (IOException e) {
            throw new MalformedBodyException(e.getMessage());
        }
        return out;
    }

    /** An object element: its fields, and its original text as the body. The parser is on its START_OBJECT. */
    private BodyRecord object(JsonParser p, byte[] b, Map<String, Object> base) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        Map<String, Object> f = objectFields(p, base);
        int end = (int) p.currentTokenLocation().getByteOffset() + 1; // just after the '}'
        return slice(b, start, end, f);
    }

    /** Reads an object up to and including its END_OBJECT, keeping its top-level scalar fields. */
    private Map<String, Object> objectFields(JsonParser p, Map<String, Object> base) throws IOException {
        Map<String, Object> out = fieldMap(base, 8);
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
    private BodyRecord string(String s, int sourceLength, Map<String, Object> base) {
        if ((long) s.length() * 3 <= maxBytes) {
            // cannot be too long even if every character takes 3 bytes
            return new BodyRecord(s, fieldMap(base, 0), sourceLength, false);
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return new BodyRecord(s, fieldMap(base, 0), sourceLength, false);
        }
        BodyRecord r = slice(utf8, 0, utf8.length, fieldMap(base, 0));
        return new BodyRecord(r.body(), r.fields(), Math.max(sourceLength, utf8.length), true);
    }

    /** A new map holding {@code base}, with room for {@code more} entries and the few the caller adds. */
    private static Map<String, Object> fieldMap(Map<String, Object> base, int more) {
        Map<String, Object> m = new HashMap<>((base.size() + more + 4) * 4 / 3 + 1);
        m.putAll(base);
        return m;
    }

    private static int lineEnd(byte[] b, int from, int length) {
        for (int i = from; i < length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return length;
    }

    private static String at(JsonLocation l, int element) {
        String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
        if (element > 0) {
            where += (where.isEmpty() ? "" : " ") + "(element " + element + ")";
        }
        return where.isEmpty() ? "" : where + ": ";
    }

    /** Jackson's message without the location it appends, which names a source we do not include. */
    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int marker = m.indexOf(" (start marker at");
        return marker < 0 ? m : m.substring(0, marker);
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
