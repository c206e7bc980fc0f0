package io.heraldmq.tck.security;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.JMSSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 6.1.4 with {@code security.allow.anonymous = true}: configured users and anonymous
 * clients side by side (a configuration the official TCK can run with); a wrong password is still refused with
 * JMSSecurityException.
 */
class AnonymousWithUsersIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "user.j2ee", PasswordHash.create("j2ee".toCharArray(), 1_000).encoded(),
            "security.allow.anonymous", "true"));

    @Test
    void anonymousConnectsButAWrongPasswordIsStillRefused() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        cf.createConnection().close();
        cf.createConnection("j2ee", "j2ee").close();
        assertThrows(JMSSecurityException.class, () -> cf.createConnection("j2ee", "wrong"));
        assertThrows(JMSSecurityException.class, () -> cf.createConnection("invalid", "invalid"));
    }
}
