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
 * usable as TLS server and client; and intermediate CAs below it. Nothing is checked in.
 */
public final class ClusterCertificates {
    private final Path dir;
    private final String ca;
    /** An intermediate CA's issuer: its certificates' key stores carry this CA's certificate too. Null: a root. */
    private final ClusterCertificates issuer;

    /** Makes the root CA {@code ca} in {@code dir}. */
    public ClusterCertificates(Path dir, String ca) throws IOException, InterruptedException {
        this.dir = dir;
        this.ca = ca;
        this.issuer = null;
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve(ca + ".key").toString(), "-out", caFile().toString(),
                "-subj", "/CN=" + ca, "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    }

    private ClusterCertificates(ClusterCertificates issuer, String ca) {
        this.dir = issuer.dir;
        this.ca = ca;
        this.issuer = issuer;
    }

    /**
     * Makes the intermediate CA {@code name}, issued by this CA (its certificate is also {@code cert(name)} here, so
     * this CA's {@link #crl} can revoke it).
     */
    public ClusterCertificates intermediate(String name) throws IOException, InterruptedException {
        Path ext = dir.resolve(name + "-ca-ext.cnf");
        Files.writeString(ext, "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n");
        sign(name, ext);
        return new ClusterCertificates(this, name);
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
            running.add(signing(name, ext));
        }
        for (Process p : running) {
            wait(p);
        }
        return this;
    }

    private void sign(String name, Path ext) throws IOException, InterruptedException {
        wait(signing(name, ext));
    }

    /** One shell per certificate: key and request, then this CA's signature with the extensions of {@code ext}. */
    private Process signing(String name, Path ext) throws IOException {
        String script = "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '" + key(name)
                + "' -out '" + dir.resolve(name + ".csr") + "' -subj '/CN=" + name + "' && openssl x509 -req -in '"
                + dir.resolve(name + ".csr") + "' -CA '" + caFile() + "' -CAkey '" + dir.resolve(ca + ".key")
                + "' -set_serial " + (System.nanoTime() & 0xffffffL) + " -days 2 -extfile '" + ext + "' -out '"
                + cert(name) + "'";
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    }

    /**
     * Writes this CA's CRL listing the certificates of {@code revoked} (none: an empty CRL) to {@code out} (moved
     * into place in one step, as an operator would, so that a broker never reads half a file), made by
     * {@code openssl ca -gencrl} from a fresh {@link #database}; PEM, or DER when {@code der}. Valid for two days.
     */
    public Path crl(Path out, boolean der, String... revoked) throws IOException, InterruptedException {
        Path cnf = database(List.of(), List.of(revoked));
        Path db = cnf.getParent();
        Path pem = db.resolve("crl.pem");
        run(List.of("openssl", "ca", "-config", cnf.toString(), "-gencrl", "-out", pem.toString()));
        Path made = pem;
        if (der) {
            made = db.resolve("crl.der");
            run(List.of("openssl", "crl", "-in", pem.toString(), "-outform", "DER", "-out", made.toString()));
        }
        return Files.move(made, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A fresh {@code openssl ca} database of this CA, with the certificates of {@code valid} and {@code revoked}
     * entered ({@code -valid}, {@code -revoke}).
     *
     * @return its config file; the database is {@code index.txt} beside it
     */
    public Path database(List<String> valid, List<String> revoked) throws IOException, InterruptedException {
        Path db = dir.resolve(ca + "-db-" + System.nanoTime());
        Files.createDirectories(db);
        Files.writeString(db.resolve("index.txt"), "");
        Path cnf = db.resolve("ca.cnf");
        Files.writeString(cnf, "[ca]\ndefault_ca = test\n[test]\ndatabase = " + db.resolve("index.txt")
                + "\ncertificate = " + caFile() + "\nprivate_key = " + dir.resolve(ca + ".key")
                + "\ndefault_md = sha256\ndefault_crl_days = 2\n");
        for (String name : valid) {
            run(List.of("openssl", "ca", "-config", cnf.toString(), "-valid", cert(name).toString()));
        }
        for (String name : revoked) {
            run(List.of("openssl", "ca", "-config", cnf.toString(), "-revoke", cert(name).toString()));
        }
        return cnf;
    }

    /**
     * Starts {@code openssl ocsp} as this CA's OCSP responder on {@code port}, answering from the
     * {@link #database} of {@code cnf} and signing with the CA's key. The caller destroys the process.
     */
    public Process ocspResponder(Path cnf, int port) throws IOException {
        // openssl 3.0's responder takes a port only (it binds every address); the broker asks it on 127.0.0.1
        return new ProcessBuilder("openssl", "ocsp", "-port", Integer.toString(port), "-ignore_err", "-index",
                cnf.resolveSibling("index.txt").toString(), "-CA", caFile().toString(), "-rsigner",
                caFile().toString(), "-rkey", dir.resolve(ca + ".key").toString(), "-nmin", "5")
                .redirectErrorStream(true).redirectOutput(cnf.resolveSibling("ocsp.log").toFile()).start();
    }

    /**
     * {@code <name>.pem}: the certificate, the intermediate CAs' certificates above it (the chain a TLS peer
     * presents) and its key in one file, a PEM key store for the JMS client.
     */
    public Path keyStore(String name) throws IOException {
        Path out = dir.resolve(name + ".pem");
        StringBuilder chain = new StringBuilder(Files.readString(cert(name)));
        for (ClusterCertificates above = this; above.issuer != null; above = above.issuer) {
            chain.append(Files.readString(above.caFile()));
        }
        Files.writeString(out, chain + Files.readString(key(name)));
        return out;
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
