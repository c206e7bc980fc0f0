package io.heraldmq.server.security;

import io.heraldmq.server.BrokerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Destination patterns, the most-specific-match rule and the {@code permission.*} / roles keys. */
class PermissionsTest {
    private static boolean matches(String pattern, String name) {
        return DestinationPattern.parse(pattern).matches(DestinationPattern.words(name));
    }

    @Test
    void starMatchesOneWordAndHashAnyNumberIncludingNone() {
        assertTrue(matches("orders.*", "orders.eu"));
        assertFalse(matches("orders.*", "orders"));
        assertFalse(matches("orders.*", "orders.eu.paid"));
        assertTrue(matches("orders.#", "orders"));
        assertTrue(matches("orders.#", "orders.eu"));
        assertTrue(matches("orders.#", "orders.eu.paid"));
        assertFalse(matches("orders.#", "ordersx"));
        assertFalse(matches("orders.#", "other.orders"));
        assertTrue(matches("#", "anything.at.all"));
        assertTrue(matches("#.paid", "orders.eu.paid"));
        assertTrue(matches("#.paid", "paid"));
        assertTrue(matches("orders.#.paid", "orders.paid"));
        assertTrue(matches("orders.#.paid", "orders.a.b.paid"));
        assertFalse(matches("orders.#.paid", "orders.a.b.unpaid"));
        assertTrue(matches("*.eu.*", "orders.eu.paid"));
        assertTrue(matches("orders", "orders"));
        assertFalse(matches("orders", "orders.eu"));
        assertFalse(matches("orders.eu", "orders.EU"), "names are case-sensitive");
    }

    @Test
    void specificityOrdersExactThenLiteralPrefixThenLiteralsThenFewerHashesThenFewerStars() {
        List<String> mostSpecificFirst = List.of("orders.eu.paid", "orders.eu.*", "orders.*.paid", "orders.#.paid",
                "orders.*", "orders.#", "*.eu.paid", "#");
        List<DestinationPattern> shuffled = new java.util.ArrayList<>(mostSpecificFirst.stream()
                .map(DestinationPattern::parse).toList());
        java.util.Collections.reverse(shuffled);
        shuffled.sort(DestinationPattern.SPECIFICITY);
        assertEquals(mostSpecificFirst, shuffled.stream().map(DestinationPattern::text).toList());
    }

    @Test
    void theMostSpecificMatchDecidesAlone() {
        Permissions p = Permissions.NONE.with(Map.of(
                "permission.send.#", "admin",
                "permission.send.orders.#", "shop",
                "permission.send.orders.eu.*", "eu-shop",
                "permission.send.orders.eu.audit", "",
                "permission.consume.orders.*", "shop"));
        Set<String> shop = Set.of("shop");
        assertTrue(p.allows(shop, Permission.SEND, "orders"));
        assertTrue(p.allows(shop, Permission.SEND, "orders.us.paid"));
        assertFalse(p.allows(shop, Permission.SEND, "orders.eu.paid"), "orders.eu.* is more specific and names"
                + " eu-shop only");
        assertTrue(p.allows(Set.of("eu-shop"), Permission.SEND, "orders.eu.paid"));
        assertFalse(p.allows(Set.of("eu-shop"), Permission.SEND, "orders.eu.audit"), "an empty exact grant denies");
        assertFalse(p.allows(Set.of("admin"), Permission.SEND, "orders.us"), "orders.# wins over # for admin too");
        assertTrue(p.allows(Set.of("admin"), Permission.SEND, "prices"));
        assertFalse(p.allows(shop, Permission.SEND, "prices"));
        assertFalse(p.allows(shop, Permission.BROWSE, "orders.us"), "nothing granted: denied");
        assertTrue(p.allows(Set.of("x", "shop"), Permission.CONSUME, "orders.us"), "any one role suffices");
        assertFalse(p.allows(Set.of(), Permission.SEND, "prices"));
    }

    @Test
    void equallySpecificPatternsMergeTheirRoles() {
        Permissions p = Permissions.NONE.with(Map.of("permission.send.a.*.#", "r1", "permission.send.a.#.*", "r2"));
        assertTrue(p.allows(Set.of("r1"), Permission.SEND, "a.b.c"));
        assertTrue(p.allows(Set.of("r2"), Permission.SEND, "a.b.c"));
    }

    @Test
    void brokerWideOperationsNeedAGrantOnHashItself() {
        Permissions p = Permissions.NONE.with(Map.of("permission.manage.orders.#", "ops", "permission.manage.#",
                "admin", "permission.manage.*", "ops"));
        assertFalse(p.allows(Set.of("ops"), Permission.MANAGE, null));
        assertTrue(p.allows(Set.of("admin"), Permission.MANAGE, null));
        assertTrue(p.allows(Set.of("ops"), Permission.MANAGE, "orders.eu"));
    }

    @Test
    void keysAreCheckedAndNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Permissions.NONE.with(Map.of("permission.write.orders", "r")));
        assertTrue(unknown.getMessage().startsWith("permission.write.orders: unknown permission 'write'"),
                unknown.getMessage());
        IllegalArgumentException noPattern = assertThrows(IllegalArgumentException.class,
                () -> Permissions.NONE.with(Map.of("permission.send", "r")));
        assertTrue(noPattern.getMessage().contains("pattern is missing"), noPattern.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Permissions.NONE.with(Map.of("permission.send.", "r")));
    }

    @Test
    void brokerConfigReadsRolesAndPermissionsBesideTheUsers() {
        String hash = PasswordHash.create("pw".toCharArray(), 1_000).encoded();
        BrokerConfig config = BrokerConfig.defaults().with(Map.of("user.alice", hash, "user.alice.roles",
                " shop , audit ", "permission.send.orders.#", "shop", "security.anonymous.roles", "guest",
                "security.populate.user.id", "true", "audit.file", "/tmp/x/audit.log"));
        assertEquals(Set.of("alice"), config.users().keySet());
        assertEquals(List.of("shop", "audit"), List.copyOf(config.security().roles().of("alice")));
        assertEquals(Set.of("guest"), config.security().roles().of(null));
        assertTrue(config.security().permissions().allows(Set.of("shop"), Permission.SEND, "orders.eu"));
        assertTrue(config.security().populateUserId());
        assertEquals(java.nio.file.Path.of("/tmp/x/audit.log"), config.security().auditFile());

        IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.defaults().with(Map.of("user.bob.roles", "shop")));
        assertTrue(orphan.getMessage().startsWith("user.bob.roles gives roles to a user without a password"),
                orphan.getMessage());
    }

    @Test
    void aClusteredBrokerWithUsersNeedsAClusterSecret() {
        String hash = PasswordHash.create("pw".toCharArray(), 1_000).encoded();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults()
                .with(Map.of("user.alice", hash, "cluster.members", "127.0.0.1:7450")));
        assertTrue(e.getMessage().startsWith("a clustered broker with users needs cluster.secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("cluster.members",
                "127.0.0.1:7450", "cluster.secret", "short")), "a short secret is refused");
        BrokerConfig ok = BrokerConfig.defaults().with(Map.of("user.alice", hash, "cluster.members",
                "127.0.0.1:7450", "cluster.secret", "a-long-enough-cluster-secret"));
        assertFalse(ok.cluster().toString().contains("a-long-enough"), "the secret is never printed");
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("cluster.secret",
                "a-long-enough-cluster-secret")), "cluster.secret needs cluster.members");
    }
}
