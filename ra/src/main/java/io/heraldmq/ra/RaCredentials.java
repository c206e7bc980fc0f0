package io.heraldmq.ra;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * The user and password of one physical connection (null = anonymous): the request an application makes with
 * {@code createConnection(user, password)}, and what a pooled managed connection must match to be reused.
 */
record RaCredentials(String userName, String password) implements ConnectionRequestInfo {
    @Override
    public String toString() {
        return "RaCredentials[" + (userName == null ? "anonymous" : userName) + "]"; // never the password
    }
}
