package io.heraldmq.server.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code permission.<permission>.<pattern> = role,role} grants, immutable. Everything after the second dot of
 * the key is the pattern ({@link DestinationPattern}), since destination names contain dots. For one permission and
 * one destination name the most specific matching pattern decides alone: the request is allowed when the user has
 * one of its roles. No matching pattern, or an empty role list, denies: a specific empty grant
 * ({@code permission.send.orders.audit =}) takes away what a wider one gives. Patterns match the name whatever the
 * kind: a grant on {@code orders} covers the queue and the topic of that name.
 * <p>
 * Broker-wide administrative operations (listing every destination, the cluster operations) name no destination:
 * only a grant on the pattern {@code #} itself gives them.
 */
public final class Permissions {
    /** Configuration key prefix. */
    public static final String PREFIX = "permission.";
    public static final Permissions NONE = new Permissions(Map.of());

    /** One pattern's roles. */
    record Grant(DestinationPattern pattern, Set<String> roles) {
    }

    /** Per permission, most specific first. */
    private final Map<Permission, List<Grant>> grants;

    private Permissions(Map<Permission, List<Grant>> grants) {
        this.grants = grants;
    }

    /** Whether any grant exists (a broker with users but none refuses everything, which deserves a warning). */
    public boolean isEmpty() {
        return grants.isEmpty();
    }

    /**
     * These grants with the {@code permission.*} keys of {@code settings} added or replaced.
     *
     * @throws IllegalArgumentException naming the key, for an unknown permission or an empty pattern
     */
    public Permissions with(Map<?, ?> settings) {
        Map<Permission, Map<DestinationPattern, Set<String>>> merged = new EnumMap<>(Permission.class);
        grants.forEach((p, list) -> {
            Map<DestinationPattern, Set<String>> byPattern = new java.util.LinkedHashMap<>();
            list.forEach(g -> byPattern.put(g.pattern(), g.roles()));
            merged.put(p, byPattern);
        });
        boolean changed = false;
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String key = e.getKey().toString();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            changed = true;
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            Permission permission = Permission.ofKey(dot < 0 ? rest : rest.substring(0, dot));
            if (permission == null) {
                throw new IllegalArgumentException(key + ": unknown permission '" + (dot < 0 ? rest
                        : rest.substring(0, dot)) + "'; known: " + java.util.Arrays.toString(Permission.values()));
            }
            if (dot < 0 || dot == rest.length() - 1) {
                throw new IllegalArgumentException(key + ": the destination pattern is missing (permission."
                        + permission + ".<pattern>, e.g. permission." + permission + ".orders.#)");
            }
            DestinationPattern pattern = DestinationPattern.parse(rest.substring(dot + 1));
            merged.computeIfAbsent(permission, p -> new java.util.LinkedHashMap<>())
                    .put(pattern, Roles.list(e.getValue().toString()));
        }
        if (!changed) {
            return this;
        }
        Map<Permission, List<Grant>> out = new EnumMap<>(Permission.class);
        merged.forEach((p, byPattern) -> {
            List<Grant> list = new ArrayList<>();
            byPattern.forEach((pattern, roles) -> list.add(new Grant(pattern, roles)));
            list.sort((a, b) -> DestinationPattern.SPECIFICITY.compare(a.pattern(), b.pattern()));
            out.put(p, List.copyOf(list));
        });
        return new Permissions(Collections.unmodifiableMap(out));
    }

    /**
     * Whether a user with {@code roles} may do {@code permission} on {@code destination}; a null destination is a
     * broker-wide operation (only the grant on {@code #} applies). Walks the grants: callers cache the answer.
     */
    public boolean allows(Set<String> roles, Permission permission, String destination) {
        Set<String> granted = rolesFor(permission, destination);
        for (String role : roles) {
            if (granted.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** The roles the most specific matching patterns grant (merged when equally specific); empty if none match. */
    Set<String> rolesFor(Permission permission, String destination) {
        List<Grant> list = grants.get(permission);
        if (list == null) {
            return Set.of();
        }
        if (destination == null) {
            for (Grant g : list) {
                if (g.pattern().text().equals(DestinationPattern.ANY)) {
                    return g.roles();
                }
            }
            return Set.of();
        }
        String[] words = DestinationPattern.words(destination);
        Grant best = null;
        Set<String> merged = null;
        for (Grant g : list) {
            if (best != null && DestinationPattern.SPECIFICITY.compare(best.pattern(), g.pattern()) < 0) {
                break; // sorted: everything after is less specific than what already matched
            }
            if (g.pattern().matches(words)) {
                if (best == null) {
                    best = g;
                } else {
                    if (merged == null) {
                        merged = new HashSet<>(best.roles());
                    }
                    merged.addAll(g.roles());
                }
            }
        }
        return merged != null ? merged : best == null ? Set.of() : best.roles();
    }

    /** The pattern that decides {@code permission} on {@code destination}, for messages; null if none matches. */
    String decidingPattern(Permission permission, String destination) {
        List<Grant> list = grants.get(permission);
        if (list == null) {
            return null;
        }
        String[] words = destination == null ? null : DestinationPattern.words(destination);
        for (Grant g : list) {
            if (words == null ? g.pattern().text().equals(DestinationPattern.ANY) : g.pattern().matches(words)) {
                return g.pattern().text();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        Set<String> lines = new LinkedHashSet<>();
        grants.forEach((p, list) -> list.forEach(g -> lines.add(PREFIX + p + "." + g.pattern() + " = "
                + String.join(",", g.roles()))));
        return lines.toString();
    }
}
