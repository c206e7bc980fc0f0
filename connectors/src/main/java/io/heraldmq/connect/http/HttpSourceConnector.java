package io.heraldmq.connect.http;

import io.heraldmq.connect.CommonOptions;
import io.heraldmq.connect.Connector;
import io.heraldmq.connect.ConnectorSettings;
import io.heraldmq.connect.Counters;
import io.heraldmq.connect.DestinationTemplate;
import io.heraldmq.connect.Option;
import io.heraldmq.connect.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.jms.ConnectionFactory;

import java.net.URI;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code http} source: an HTTP/1.1 server on {@code listen} (comma-separated {@code tcp://HOST:PORT} and
 * {@code tls://HOST:PORT} with {@code tls.cert} and {@code tls.key} in PEM; port 0 picks a free one, see
 * {@link #boundAddresses()}) taking POSTs of NDJSON, JSON arrays or plain lines ({@link HttpBodyParser}), one message
 * per record ({@link HttpRecords} lists the properties), answered 200 only once the broker has acknowledged all of
 * them ({@link HttpIngestHandler} lists the other answers). Request bodies may be gzip- or deflate-compressed
 * ({@code Content-Encoding}); limits apply to the decompressed size.
 * <p>
 * One Vert.x event loop serves all connections: parsing is cheap next to the broker's work, and one thread keeps the
 * destination and property-name caches unshared. The event loop never calls JMS ({@link Publisher} does).
 * <b>Memory</b> is bounded by the window (records accepted and not yet acknowledged), which a request must fit in
 * whole or be answered 429, plus request bodies being read: at most four times {@code max.request.bytes}
 * ({@link BodyBudget}; further requests wait, paused).
 */
public final class HttpSourceConnector implements Connector {
    private static final System.Logger LOG = System.getLogger(HttpSourceConnector.class.getName());

    public static final Option<List<URI>> LISTEN = Option.required("listen", HttpSourceConnector::listenAddresses);
    /** A bearer token every request must carry ({@code Authorization: Bearer TOKEN}); none by default. */
    public static final Option<String> TOKEN = Option.optional("token", null, Option::text);
    public static final Option<Long> MAX_REQUEST_BYTES = Option.optional("max.request.bytes", 16L * 1024 * 1024,
            Option::bytes);
    /** The fields whose values make a record's stream key ({@code JMSXGroupID}). */
    public static final Option<List<String>> GROUP_BY = Option.optional("group.by", List.of("host", "app"),
            HttpSourceConnector::fieldList);
    /** The top-level JSON fields copied to properties; all by default. */
    public static final Option<List<String>> FIELDS = Option.optional("fields", null,
            HttpSourceConnector::fieldList);
    /** How long a request waits for the broker's acknowledgement before it is answered 503. */
    public static final Option<Duration> ACK_TIMEOUT = Option.optional("ack.timeout", Duration.ofSeconds(30),
            Option::duration);
    /** The server certificate (chain) for {@code tls://} listeners, PEM. */
    public static final Option<String> TLS_CERT = Option.optional("tls.cert", null, Option::text);
    /** Its private key, PEM (PKCS#8, or PKCS#1 RSA). */
    public static final Option<String> TLS_KEY = Option.optional("tls.key", null, Option::text);

    public static final List<Option<?>> OPTIONS = concat(CommonOptions.SOURCE, List.of(LISTEN, TOKEN,
            MAX_REQUEST_BYTES, GROUP_BY, FIELDS, ACK_TIMEOUT, TLS_CERT, TLS_KEY));

    private static final Pattern FIELD_REF = Pattern.compile("\\$\\{([^}]*)}");

    private final String name;
    private final ConnectorSettings config;
    private final ConnectionFactory connectionFactory;
    private final DestinationTemplate destination;
    private final int maxLineBytes;
    private final int maxRequestBytes;
    private final Counters counters = new Counters();
    private final List<String> bound = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private Vertx vertx;
    private Publisher publisher;
    private HttpIngestHandler handler;
    private boolean stopped;

    public HttpSourceConnector(ConnectorSettings config, ConnectionFactory connectionFactory) {
        this.name = config.name();
        this.config = config;
        this.connectionFactory = connectionFactory;
        String template = config.get(CommonOptions.DESTINATION);
        Matcher m = FIELD_REF.matcher(template);
        while (m.find()) {
            if (!PropertyNames.isValid(m.group(1))) {
                throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": ${" + m.group(1)
                        + "} is not a property name; JSON fields are named " + PropertyNames.sanitise(m.group(1))
                        + " and the like (letters, digits, _ and $)");
            }
        }
        try {
            this.destination = DestinationTemplate.parse(template, AnyPropertyName.INSTANCE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.key(CommonOptions.DESTINATION) + ": " + e.getMessage());
        }
        long maxLine = config.get(CommonOptions.MAX_LINE_BYTES);
        long maxRequest = config.get(MAX_REQUEST_BYTES);
        if (maxRequest > 512L * 1024 * 1024) {
            throw new IllegalArgumentException(config.key(MAX_REQUEST_BYTES) + ": at most 512m");
        }
        this.maxRequestBytes = (int) maxRequest;
        this.maxLineBytes = (int) Math.min(maxLine, maxRequest);
        boolean tls = config.get(LISTEN).stream().anyMatch(u -> u.getScheme().equals("tls"));
        if (tls && (config.get(TLS_CERT) == null || config.get(TLS_KEY) == null)) {
            throw new IllegalArgumentException(config.key(LISTEN) + ": tls:// needs " + config.key(TLS_CERT) + " and "
                    + config.key(TLS_KEY));
        }
    }

    static List<URI> listenAddresses(String text) {
        List<URI> out = new ArrayList<>();
        for (String part : text.split(",")) {
            URI u;
            try {
                u = new URI(part.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not tcp://HOST:PORT or tls://HOST:PORT: " + part.trim());
            }
            if (u.getScheme() == null || !List.of("tcp", "tls").contains(u.getScheme()) || u.getHost() == null
                    || u.getPort() < 0) {
                throw new IllegalArgumentException("not tcp://HOST:PORT or tls://HOST:PORT: " + part.trim());
            }
            out.add(u);
        }
        return List.copyOf(out);
    }

    static List<String> fieldList(String text) {
        List<String> out = new ArrayList<>();
        for (String f : text.split(",")) {
            if (!f.trim().isEmpty()) {
                out.add(f.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no field names: " + text);
        }
        return List.copyOf(out);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** {@code tcp://} and {@code tls://HOST:PORT} actually bound, after {@link #start()}. */
    public synchronized List<String> boundAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public synchronized void start() throws Exception {
        publisher = new Publisher(name, connectionFactory, config.get(CommonOptions.WINDOW),
                CommonOptions.transactedBatch(config), counters);
        counters.lag(publisher::pending);
        PropertyNames names = new PropertyNames();
        List<String> fields = config.get(FIELDS);
        HttpBodyParser parser = new HttpBodyParser(names, maxLineBytes,
                fields == null ? null : Set.copyOf(fields));
        List<String> groupBy = config.get(GROUP_BY).stream().map(PropertyNames::sanitise).toList();
        HttpRecords records = new HttpRecords(name, destination, groupBy, config.get(CommonOptions.LONG_LINES),
                counters);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        handler = new HttpIngestHandler(name, vertx, publisher, parser, records, names, config.get(TOKEN),
                maxRequestBytes, config.get(ACK_TIMEOUT), counters);
        try {
            for (URI u : config.get(LISTEN)) {
                listen(u);
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    private void listen(URI u) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost(u.getHost()).setPort(u.getPort())
                .setDecompressionSupported(true)
                // answered by HttpIngestHandler, after the checks that can refuse the request without its body
                .setHandle100ContinueAutomatically(false)
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (u.getScheme().equals("tls")) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.get(TLS_CERT))
                    .setKeyPath(config.get(TLS_KEY)));
        }
        HttpServer server = vertx.createHttpServer(options).requestHandler(handler);
        await(server.listen());
        servers.add(server);
        String a = u.getScheme() + "://" + u.getHost() + ":" + server.actualPort();
        bound.add(a);
        LOG.log(System.Logger.Level.INFO, name + ": http listening on " + a);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Stops: new requests are answered 503; requests taken are answered as usual (200 once acknowledged, 503 after
     * {@code ack.timeout}), waiting up to 30 s in all, then the listeners, the publisher and Vert.x are closed.
     */
    @Override
    public synchronized void stop() {
        if (stopped || vertx == null) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        if (handler != null) {
            handler.stopTakingRequests();
            try {
                if (!handler.awaitAnswered(Duration.ofSeconds(30))) {
                    LOG.log(System.Logger.Level.WARNING, name + ": requests still unanswered at stop; their clients"
                            + " see the connection close and should send again");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (HttpServer s : servers) {
            try {
                await(s.close());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, name + ": closing a listener", e);
            }
        }
        try {
            if (!publisher.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.log(System.Logger.Level.WARNING, name + ": " + publisher.pending()
                        + " records not acknowledged in 30 s; their requests were not answered 200");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        try {
            await(vertx.close());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": closing Vert.x", e);
        }
        LOG.log(System.Logger.Level.INFO, name + ": stopped; " + counters.format());
    }

    private static List<Option<?>> concat(List<Option<?>> a, List<Option<?>> b) {
        List<Option<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /**
     * The template fields of this source: any property name, since JSON fields are the client's to choose (a record
     * without the field renders {@code unknown}). Names that are not property names are refused before this.
     */
    private static final class AnyPropertyName extends AbstractSet<String> {
        static final AnyPropertyName INSTANCE = new AnyPropertyName();

        @Override
        public boolean contains(Object o) {
            return o instanceof String s && PropertyNames.isValid(s);
        }

        @Override
        public Iterator<String> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }
    }
}
