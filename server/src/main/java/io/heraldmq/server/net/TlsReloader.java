package io.heraldmq.server.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Certificate rotation without a restart: every {@link TlsSettings#reloadIntervalMs} it compares the key and trust
 * files' modification times, sizes and inodes (on a worker: file system calls may block) with the last ones, and
 * when they changed and then stayed the same for one more interval (a certificate and its key are rarely replaced in
 * the same instant; loading one new and one old would break handshakes), hands the TLS listener (and, between
 * brokers, the TLS client) new options, which apply to the handshakes from then on; open connections keep their
 * session. A reload that fails (a file half written, a wrong password) is logged and tried again at the next change;
 * the listener keeps the material it had.
 */
public final class TlsReloader {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final Vertx vertx;
    private final TlsSettings tls;
    private final String what;
    private final List<Function<SSLOptions, Future<Boolean>>> targets;
    private List<String> stamps;
    /** Changed stamps seen at the latest check, waiting to be seen again before they are loaded. */
    private List<String> settling;
    private long timer = -1;
    private boolean checking;

    /**
     * @param what    what the key material serves, for the log lines ("the TLS client port")
     * @param targets each takes new options ({@code NetServer::updateSSLOptions}, {@code NetClient::...}), forced
     */
    public TlsReloader(Vertx vertx, TlsSettings tls, String what,
                       List<Function<SSLOptions, Future<Boolean>>> targets) {
        this.vertx = vertx;
        this.tls = tls;
        this.what = what;
        this.targets = List.copyOf(targets);
    }

    public void start() {
        vertx.<List<String>>executeBlocking(this::stamps, false).onSuccess(s -> {
            stamps = s;
            timer = vertx.setPeriodic(tls.reloadIntervalMs(), t -> check());
        });
    }

    private void check() {
        if (checking) {
            return;
        }
        checking = true;
        vertx.<List<String>>executeBlocking(this::stamps, false).onComplete(ar -> {
            if (ar.failed() || ar.result().equals(stamps) || !ar.result().equals(settling)) {
                settling = ar.succeeded() && !ar.result().equals(stamps) ? ar.result() : null;
                checking = false;
                return;
            }
            List<String> now = ar.result();
            settling = null;
            // reads the trust anchors and CRLs itself when there are CRLs
            vertx.<SSLOptions>executeBlocking(() -> TlsOptions.ssl(tls), false).compose(options -> Future.all(
                    targets.stream().map(t -> t.apply(options)).toList())).onComplete(up -> {
                checking = false;
                if (up.succeeded()) {
                    stamps = now;
                    LOG.info("TLS key material of {} reloaded from {}", what, tls.watchedFiles());
                } else {
                    stamps = now; // tried with these files; the next change is tried again
                    LOG.warn("TLS key material of {} in {} changed but cannot be loaded; {} keeps the previous one",
                            what, tls.watchedFiles(), what, up.cause());
                }
            });
        });
    }

    private List<String> stamps() {
        List<String> out = new ArrayList<>();
        for (Path p : tls.watchedFiles()) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.add(p + "@" + a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey());
            } catch (IOException e) {
                out.add(p + "@missing");
            }
        }
        return out;
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
