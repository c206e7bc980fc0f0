package io.heraldmq.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made for a test run with the JDK's keytool (one process per key pair, started in
 * parallel), then turned into what the tests need with the JDK's own KeyStore API: PKCS12 key stores, PKCS12 trust
 * stores, and PEM certificate and PKCS8 key files. Nothing is checked in.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a key pair and self-signed certificate for each subject, in {@code <name>.p12} (alias {@code key},
     * password {@link #PASSWORD}); the certificates name 127.0.0.1 and localhost as alternative names.
     *
     * @param namesAndSubjects name, subject DN, name, subject DN, ...
     */
    public void generate(String... namesAndSubjects) throws IOException, InterruptedException {
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < namesAndSubjects.length; i += 2) {
            Path store = keyStore(namesAndSubjects[i]);
            Files.deleteIfExists(store);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            running.add(new ProcessBuilder(keytool, "-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", namesAndSubjects[i + 1], "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                    "-keypass", PASSWORD).redirectErrorStream(true).start());
        }
        for (Process p : running) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(p.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
    }

    public Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    /** A PKCS12 trust store holding the certificates of {@code names}. */
    Path trustStore(String storeName, String... names) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String n : names) {
            trust.setCertificateEntry(n, certificate(n));
        }
        Path out = dir.resolve(storeName + ".p12");
        try (OutputStream o = Files.newOutputStream(out)) {
            trust.store(o, PASSWORD.toCharArray());
        }
        return out;
    }

    /** {@code <name>.crt}: the certificate, PEM. */
    public Path pemCertificate(String name) throws IOException, GeneralSecurityException {
        return writePem(dir.resolve(name + ".crt"), "CERTIFICATE", certificate(name).getEncoded());
    }

    /** {@code <name>.key}: the private key, PKCS8 PEM. */
    public Path pemKey(String name) throws IOException, GeneralSecurityException {
        Key key = load(name).getKey("key", PASSWORD.toCharArray());
        return writePem(dir.resolve(name + ".key"), "PRIVATE KEY", key.getEncoded());
    }

    Certificate certificate(String name) throws IOException, GeneralSecurityException {
        return load(name).getCertificate("key");
    }

    private KeyStore load(String name) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore(name))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
