package io.heraldmq.jms.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes {@link HeraldObjectMessage#getObject()} may deserialize, from two system properties read at each
 * call:
 * <ul>
 * <li>{@value #ALLOW_LIST_PROPERTY}: comma-separated entries; when set (and not blank) only matching classes are
 * allowed. When it is not set, every class not denied is allowed.</li>
 * <li>{@value #DENY_LIST_PROPERTY}: comma-separated entries; matching classes are refused. The deny list wins over
 * the allow list.</li>
 * </ul>
 * An entry is {@code *} (every class), a package or class name ({@code com.acme} matches {@code com.acme},
 * {@code com.acme.Order}, {@code com.acme.model.Line} and nested classes such as {@code com.acme.Order$Line}, but
 * not {@code com.acmecorp.X}), or a prefix ending in {@code *} ({@code com.acme.Ord*} matches any name starting with
 * {@code com.acme.Ord}). Arrays are judged by their element class; primitive types are always allowed. Every class
 * named in the serialized stream is checked, including superclasses, field types and proxy interfaces, so an allow
 * list must include e.g. {@code java.lang} and {@code java.util} for a {@code HashMap<String, Integer>}.
 */
public final class DeserializationFilter {
    public static final String ALLOW_LIST_PROPERTY = "heraldmq.deserialization.allowList";
    public static final String DENY_LIST_PROPERTY = "heraldmq.deserialization.denyList";

    private final List<String> allow; // null = allow everything not denied
    private final List<String> deny;

    DeserializationFilter(String allowList, String denyList) {
        this.allow = allowList == null || allowList.isBlank() ? null : parse(allowList);
        this.deny = denyList == null ? List.of() : parse(denyList);
    }

    /** The filter configured by the system properties now. */
    static DeserializationFilter fromSystemProperties() {
        return new DeserializationFilter(System.getProperty(ALLOW_LIST_PROPERTY), System.getProperty(DENY_LIST_PROPERTY));
    }

    private static List<String> parse(String list) {
        List<String> entries = new ArrayList<>();
        for (String e : list.split(",")) {
            String t = e.trim();
            if (!t.isEmpty()) {
                entries.add(t);
            }
        }
        return entries;
    }

    /** Whether a class, by its {@link Class#getName()} (array names such as {@code [Lcom.acme.X;} included), may be loaded. */
    public boolean isAllowed(String className) {
        String name = className;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.length() != className.length()) { // an array: judge the element type
            if (!(name.startsWith("L") && name.endsWith(";"))) {
                return true; // array of a primitive type
            }
            name = name.substring(1, name.length() - 1);
        }
        if (isPrimitive(name)) {
            return true;
        }
        for (String d : deny) {
            if (matches(d, name)) {
                return false;
            }
        }
        if (allow == null) {
            return true;
        }
        for (String a : allow) {
            if (matches(a, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPrimitive(String name) {
        return switch (name) {
            case "boolean", "byte", "short", "char", "int", "long", "float", "double", "void" -> true;
            default -> false;
        };
    }

    static boolean matches(String entry, String name) {
        if (entry.equals("*")) {
            return true;
        }
        if (entry.endsWith("*")) {
            return name.startsWith(entry.substring(0, entry.length() - 1));
        }
        if (!name.startsWith(entry)) {
            return false;
        }
        if (name.length() == entry.length()) {
            return true;
        }
        char next = name.charAt(entry.length());
        return next == '.' || next == '$';
    }
}
