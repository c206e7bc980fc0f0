package io.heraldmq.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The value conversions of the Jakarta Messaging specification: table 3-2 (message properties) and table 3-7
 * ({@code StreamMessage} and {@code MapMessage} values). Table 3-2 is table 3-7 without {@code char} and
 * {@code byte[]}, which can never be property values, so one set of methods serves both.
 * <p>
 * A value written as one type can be read as another when the table marks the pair; other pairs throw
 * {@link MessageFormatException}. String to number goes through the number's {@code valueOf(String)}, so a bad string
 * throws {@link NumberFormatException}. A null value (or a missing property or map entry) is read as if
 * {@code valueOf((String) null)} were called: {@code false} for boolean, {@link NumberFormatException} for byte, short,
 * int and long, {@link NullPointerException} for float and double (that is what {@code Float.valueOf(null)} and
 * {@code Double.valueOf(null)} do), {@link NullPointerException} for char, and null for String and byte[].
 */
final class TypeConversions {
    private TypeConversions() {
    }

    static boolean toBoolean(Object v) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.valueOf((String) v);
        }
        throw refused(v, "boolean");
    }

    static byte toByte(Object v) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.valueOf((String) v);
        }
        throw refused(v, "byte");
    }

    static short toShort(Object v) throws MessageFormatException {
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Short.valueOf((String) v);
        }
        throw refused(v, "short");
    }

    static char toChar(Object v) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("null value cannot be read as char");
        }
        throw refused(v, "char");
    }

    static int toInt(Object v) throws MessageFormatException {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Integer.valueOf((String) v);
        }
        throw refused(v, "int");
    }

    static long toLong(Object v) throws MessageFormatException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Long.valueOf((String) v);
        }
        throw refused(v, "long");
    }

    static float toFloat(Object v) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Float.valueOf((String) v);
        }
        throw refused(v, "float");
    }

    static double toDouble(Object v) throws MessageFormatException {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Double.valueOf((String) v);
        }
        throw refused(v, "double");
    }

    static String toStringValue(Object v) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            throw refused(v, "String");
        }
        return v.toString();
    }

    /** A copy of a byte[] value; null stays null. */
    static byte[] toBytes(Object v) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw refused(v, "byte[]");
    }

    /** True for the types a {@code MapMessage} or {@code StreamMessage} value may have (null included). */
    static boolean isBodyValueType(Object v) {
        return v == null || isPropertyValueType(v) || v instanceof Character || v instanceof byte[];
    }

    /** True for the types a property may have: the primitive wrappers but Character, and String. */
    static boolean isPropertyValueType(Object v) {
        return v instanceof Boolean || v instanceof Byte || v instanceof Short || v instanceof Integer
                || v instanceof Long || v instanceof Float || v instanceof Double || v instanceof String;
    }

    /** byte[] values are copied so the caller's array and the stored one never alias. */
    static Object copyValue(Object v) {
        return v instanceof byte[] b ? b.clone() : v;
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[]) {
            return "byte[]";
        }
        return v.getClass().getSimpleName();
    }

    private static MessageFormatException refused(Object v, String target) {
        return new MessageFormatException("cannot convert " + typeName(v) + " to " + target);
    }
}
