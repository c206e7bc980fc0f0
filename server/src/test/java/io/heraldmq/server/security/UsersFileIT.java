package io.heraldmq.server.security;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code security.users.file}: users and roles in their own file, read again after a change without a restart: a
 * user added can connect and gets its roles, one removed is refused, and a file that does not parse leaves the
 * users in force.
 */
class UsersFileIT {
    private static final Path USERS = usersFile();

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "security.users.file", USERS.toString(),
            "permission.send.#", "app",
            "permission.createDestination.#", "app"));

    private static Path usersFile() {
        try {
            Path file = Files.createTempDirectory("heraldmq-users").resolve("users.properties");
            Files.writeString(file, line("alice", "alice-pw", "app"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(String user, String password, String roles) {
        return "user." + user + " = " + PasswordHash.create(password.toCharArray(), 1_000).encoded() + "\n"
                + "user." + user + ".roles = " + roles + "\n";
    }

    /** Replaces the file at once, as an editor saving it would. */
    private static void write(String content) throws IOException {
        Path tmp = USERS.resolveSibling("users.tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, USERS, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sendAs(String user) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection(user, user + "-pw")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("users-file")).send(s.createTextMessage(user));
        }
    }

    @Test
    void changesApplyWithoutARestart() throws Exception {
        sendAs("alice");
        assertThrows(JMSSecurityException.class, () -> sendAs("bob"));

        write(line("bob", "bob-pw", "app") + line("carol", "carol-pw", "none"));
        await("bob is added").atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> sendAs("bob"));
        assertThrows(JMSSecurityException.class, () -> sendAs("alice"), "alice was removed");
        JMSSecurityException refused = assertThrows(JMSSecurityException.class, () -> sendAs("carol"));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("'send'"), "carol connects, and"
                + " her role grants nothing: " + refused.getMessage());

        write("user.dave = not-a-hash\n");
        await("a broken file changes nothing").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> sendAs("bob"));
    }
}
