package io.heraldmq.server;

import io.heraldmq.server.security.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users in the configuration: {@code user.<name> = <hash>} lines, validated at load; and the hash-password command. */
class BrokerConfigUsersTest {
    @Test
    void noUsersByDefault() {
        assertTrue(BrokerConfig.defaults().users().isEmpty());
    }

    @Test
    void userLinesOfAConfigFileBecomeUsers(@TempDir Path dir) throws Exception {
        String hash = PasswordHash.create("j2ee".toCharArray(), 1_000).encoded();
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, "port = 0\nuser.j2ee = " + hash + "\n");
        BrokerConfig config = BrokerConfig.load(file);
        assertEquals(Map.of("j2ee", PasswordHash.parse(hash)), config.users());
        assertTrue(config.users().get("j2ee").matches("j2ee".toCharArray()));
    }

    @Test
    void aMalformedHashIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.defaults().with(Map.of("user.bob", "secret")));
        assertTrue(e.getMessage().startsWith("user.bob:"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "the value is not echoed: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(Map.of("user.",
                PasswordHash.create("x".toCharArray(), 1_000).encoded())));
    }

    @Test
    void anonymousAccessNextToUsersIsOffUnlessSet() {
        assertFalse(BrokerConfig.defaults().allowAnonymous());
        assertTrue(BrokerConfig.defaults().with(Map.of("security.allow.anonymous", "true")).allowAnonymous());
        assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.defaults().with(Map.of("security.allow.anonymous", "yes")));
    }

    @Test
    void hashPasswordPrintsAHashOfTheLineOnStandardInput() {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("j2ee\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int code = new picocli.CommandLine(new Main()).execute("hash-password", "--iterations", "1000");
            assertEquals(0, code);
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        PasswordHash h = PasswordHash.parse(printed.toString(StandardCharsets.UTF_8).trim());
        assertEquals(1_000, h.iterations());
        assertTrue(h.matches("j2ee".toCharArray()));
    }
}
