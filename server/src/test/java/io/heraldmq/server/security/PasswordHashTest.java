package io.heraldmq.server.security;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {
    @Test
    void storedFormIsPrefixIterationsSaltAndHash() {
        PasswordHash h = PasswordHash.create("correct horse".toCharArray(), 2_000);
        String[] parts = h.encoded().split(":");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("2000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
        assertEquals(h, PasswordHash.parse(h.encoded()));
    }

    @Test
    void defaultIterationsAreRecordedInTheHash() {
        PasswordHash h = PasswordHash.create("pw".toCharArray());
        assertEquals(PasswordHash.DEFAULT_ITERATIONS, h.iterations());
        assertTrue(h.encoded().startsWith("pbkdf2-sha256:" + PasswordHash.DEFAULT_ITERATIONS + ":"));
    }

    @Test
    void matchesOnlyTheRightPassword() {
        PasswordHash h = PasswordHash.parse(PasswordHash.create("s3cret".toCharArray(), 1_000).encoded());
        assertTrue(h.matches("s3cret".toCharArray()));
        assertFalse(h.matches("s3cret ".toCharArray()));
        assertFalse(h.matches("S3cret".toCharArray()));
        assertFalse(h.matches(new char[0]));
    }

    @Test
    void theSaltIsRandom() {
        PasswordHash a = PasswordHash.create("same".toCharArray(), 1_000);
        PasswordHash b = PasswordHash.create("same".toCharArray(), 1_000);
        assertNotEquals(a.encoded(), b.encoded());
        assertTrue(a.matches("same".toCharArray()) && b.matches("same".toCharArray()));
    }

    @Test
    void malformedHashesAreRefusedWithoutEchoingThem() {
        for (String bad : new String[]{"", "plaintext-password", "md5:1000:c2FsdHNhbHQ=:aGFzaA==",
                "pbkdf2-sha256:many:c2FsdHNhbHQ=:aGFzaGhhc2hoYXNoaGFzaA==",
                "pbkdf2-sha256:1000:!!!:aGFzaGhhc2hoYXNoaGFzaA==",
                "pbkdf2-sha256:10:c2FsdHNhbHQ=:aGFzaGhhc2hoYXNoaGFzaA=="}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad));
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void toStringHidesSaltAndHash() {
        PasswordHash h = PasswordHash.create("pw".toCharArray(), 1_000);
        assertEquals("pbkdf2-sha256:1000:***", h.toString());
    }
}
