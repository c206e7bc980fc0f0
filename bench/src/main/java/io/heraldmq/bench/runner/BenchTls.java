package io.heraldmq.bench.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The key material of the TLS brokers ({@link BrokerKind#HERALDMQ_TLS}, {@link BrokerKind#ARTEMIS_TLS}), made once
 * per run with the JDK's {@code keytool}: a self-signed EC P-256 certificate naming 127.0.0.1 and localhost in a
 * PKCS12 key store for the broker, and a PKCS12 trust store holding only that certificate for the clients (both
 * providers verify the broker against it). Both brokers get the same key, so the handshake costs the same.
 *
 * @param keyStore   the broker's key store
 * @param trustStore the clients' trust store
 * @param password   both stores' password
 */
record BenchTls(Path keyStore, Path trustStore, String password) {
    private static final String PASSWORD = "bench-tls";

    static BenchTls create(Path dir) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("bench-tls.p12");
        Path cert = dir.resolve("bench-tls.crt");
        Path trustStore = dir.resolve("bench-trust.p12");
        keytool("-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "bench", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "bench", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        return new BenchTls(keyStore, trustStore, PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
