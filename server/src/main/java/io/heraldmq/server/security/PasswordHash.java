package io.heraldmq.server.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A salted, deliberately slow password hash: PBKDF2 with HMAC-SHA256 from the JDK, stored as
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. The iteration count travels with the hash, so
 * it can be raised later without invalidating stored hashes. Verifying costs as much as hashing (tens to hundreds of
 * milliseconds): call it off the event loop.
 *
 * @param iterations PBKDF2 iterations
 * @param salt       random salt
 * @param hash       derived key
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    public static final String PREFIX = "pbkdf2-sha256";
    /** What {@link #create(char[])} uses; OWASP's 2021 guidance for PBKDF2-HMAC-SHA256 is of this order. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final int MIN_ITERATIONS = 1_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PasswordHash {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations, got " + iterations);
        }
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("salt or hash too short");
        }
    }

    /** A new hash of {@code password} with a fresh random salt and {@link #DEFAULT_ITERATIONS}. */
    public static PasswordHash create(char[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    public static PasswordHash create(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Parses the stored form.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the value, which is a secret)
     */
    public static PasswordHash parse(String stored) {
        String[] parts = stored == null ? new String[0] : stored.trim().split(":");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("a password hash must look like " + PREFIX
                    + ":<iterations>:<salt base64>:<hash base64> (make one with: heraldmq hash-password)");
        }
        try {
            return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count of a password hash must be a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad password hash: " + e.getMessage());
        }
    }

    /** True if {@code password} produces this hash; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The stored form, {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}, as {@link #parse} reads it. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** Not the stored form: configurations get printed, and a hash is still something to keep to oneself. */
    @Override
    public String toString() {
        return PREFIX + ":" + iterations + ":***";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }
}
