package io.heraldmq.server.cli;

import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.heraldmq.server.cli.AdminCliIT.assertRun;
import static io.heraldmq.server.cli.AdminCliIT.cli;

/**
 * The administrative command line against a broker with users: a user whose role has {@code manage} and
 * {@code createDestination} may administer; an anonymous client, without those, may not, even where anonymous
 * messaging is allowed.
 */
class AdminCliAuthIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "user.admin", PasswordHash.create("s3cret".toCharArray(), 1_000).encoded(),
            "user.admin.roles", "admins",
            "permission.manage.#", "admins",
            "permission.createDestination.#", "admins",
            "security.allow.anonymous", "true"));

    @Test
    void anonymousIsRefusedAndAnAuthenticatedUserMayAdminister() {
        assertRun(cli("topic", "list", "--url", broker.url()), 1, "an anonymous client has no 'manage' permission");
        assertRun(cli("topic", "list", "--url", broker.url(), "--user", "admin", "--password", "wrong"), 1,
                "error:");
        assertRun(cli("topic", "create", "cli-secure", "--url", broker.url(), "--user", "admin", "--password",
                "s3cret"), 0, "created topic cli-secure");
    }
}
