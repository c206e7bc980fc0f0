package io.heraldmq.server.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and the brokers' certificates it issues, made with the openssl binary (installed by .ci/run): PEM files
 * {@code <ca>.crt}, and per broker {@code <name>.crt} and {@code <name>.key} (PKCS8), naming 127.0.0.1 and localhost,
 * usable as TLS server and client. Nothing is checked in.
 */
public final class ClusterCertificates {
    private final Path dir;
    private final String ca;

    /** Makes the CA {@code ca} in {@code dir}. */
    public ClusterCertificates(Path dir, String ca) throws IOException, InterruptedException {
        this.dir = dir;
        this.ca = ca;
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve(ca + ".key").toString(), "-out", caFile().toString(),
                "-subj", "/CN=" + ca, "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    }

    public static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public Path caFile() {
        return dir.resolve(ca + ".crt");
    }

    /** Issues a certificate for each name (CN = the name), in parallel. */
    public ClusterCertificates issue(String... names) throws IOException, InterruptedException {
        Path ext = dir.resolve(ca + "-ext.cnf");
        Files.writeString(ext, "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                + "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth, clientAuth\n");
        List<Process> running = new ArrayList<>();
        for (String name : names) {
            // one shell per certificate: key and request, then the CA's signature
            String script = "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '" + key(name)
                    + "' -out '" + dir.resolve(name + ".csr") + "' -subj '/CN=" + name + "' && openssl x509 -req -in '"
                    + dir.resolve(name + ".csr") + "' -CA '" + caFile() + "' -CAkey '" + dir.resolve(ca + ".key")
                    + "' -set_serial " + (System.nanoTime() & 0xffffffL) + " -days 2 -extfile '" + ext + "' -out '"
                    + cert(name) + "'";
            running.add(new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start());
        }
        for (Process p : running) {
            wait(p);
        }
        return this;
    }

    public Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** The {@code cluster.tls.*} lines of a broker presenting {@code name}'s certificate and trusting this CA. */
    public String config(String name) {
        return "cluster.tls.enabled = true\n"
                + "cluster.tls.certFile = " + cert(name) + "\n"
                + "cluster.tls.keyFile = " + key(name) + "\n"
                + "cluster.tls.caFile = " + caFile() + "\n";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        wait(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static void wait(Process p) throws IOException, InterruptedException {
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + out);
        }
    }
}
