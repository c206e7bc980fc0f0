package io.heraldmq.server.security;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which roles each user has, immutable: {@code user.<name>.roles = a,b} (beside the user's
 * {@code user.<name> = <password hash>}), and {@code security.anonymous.roles} for clients that connect without a
 * user name where {@code security.allow.anonymous} lets them. A user without a roles line has none, and so may do
 * nothing once users are configured. A user named {@code x.roles} cannot be configured (its key would read as
 * roles).
 */
public final class Roles {
    public static final String USER_PREFIX = "user.";
    public static final String SUFFIX = ".roles";
    public static final String ANONYMOUS_KEY = "security.anonymous.roles";
    public static final Roles NONE = new Roles(Map.of(), Set.of());

    private final Map<String, Set<String>> byUser;
    private final Set<String> anonymous;

    private Roles(Map<String, Set<String>> byUser, Set<String> anonymous) {
        this.byUser = byUser;
        this.anonymous = anonymous;
    }

    /** Whether {@code key} is a {@code user.<name>.roles} key. */
    public static boolean isRolesKey(String key) {
        return key.startsWith(USER_PREFIX) && key.endsWith(SUFFIX)
                && key.length() > USER_PREFIX.length() + SUFFIX.length();
    }

    /** These roles with the roles keys of {@code settings} added or replaced. */
    public Roles with(Map<?, ?> settings) {
        Map<String, Set<String>> users = null;
        Set<String> anon = anonymous;
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String key = e.getKey().toString();
            if (isRolesKey(key)) {
                if (users == null) {
                    users = new HashMap<>(byUser);
                }
                users.put(key.substring(USER_PREFIX.length(), key.length() - SUFFIX.length()),
                        list(e.getValue().toString()));
            } else if (key.equals(ANONYMOUS_KEY)) {
                anon = list(e.getValue().toString());
            }
        }
        return users == null && anon == anonymous ? this
                : new Roles(users == null ? byUser : Collections.unmodifiableMap(users), anon);
    }

    /** The roles of a user; of an anonymous client for null. Empty for a user without roles. */
    public Set<String> of(String user) {
        return user == null ? anonymous : byUser.getOrDefault(user, Set.of());
    }

    /** The users that have a roles line. */
    public Set<String> users() {
        return byUser.keySet();
    }

    /** A comma-separated role list: trimmed, blanks dropped, immutable, in the order given. */
    static Set<String> list(String value) {
        Set<String> out = new LinkedHashSet<>();
        for (String r : value.split(",")) {
            if (!r.isBlank()) {
                out.add(r.trim());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String toString() {
        return "roles" + byUser + (anonymous.isEmpty() ? "" : ", anonymous " + anonymous);
    }
}
