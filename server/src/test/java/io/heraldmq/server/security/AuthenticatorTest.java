package io.heraldmq.server.security;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private static final Map<String, PasswordHash> USERS =
            Map.of("j2ee", PasswordHash.create("j2ee".toCharArray(), 1_000));

    @Test
    void withoutUsersEveryoneIsAccepted() {
        Authenticator open = new Authenticator(Map.of(), false);
        assertFalse(open.required());
        assertTrue(open.authenticate(null, null));
        assertTrue(open.authenticate("anyone", "anything"));
    }

    @Test
    void withUsersOnlyTheRightCredentialsAreAccepted() {
        Authenticator closed = new Authenticator(USERS, false);
        assertTrue(closed.required());
        assertTrue(closed.authenticate("j2ee", "j2ee"));
        assertFalse(closed.authenticate("j2ee", "wrong"));
        assertFalse(closed.authenticate("j2ee", null));
        assertFalse(closed.authenticate("invalid", "invalid"));
        assertFalse(closed.authenticate(null, null));
    }

    @Test
    void anonymousCanBeAllowedNextToUsersButWrongPasswordsStillFail() {
        Authenticator mixed = new Authenticator(USERS, true);
        assertTrue(mixed.authenticate(null, null));
        assertTrue(mixed.authenticate("j2ee", "j2ee"));
        assertFalse(mixed.authenticate("j2ee", "wrong"));
        assertFalse(mixed.authenticate("invalid", "invalid"));
    }
}
