package io.heraldmq.connect.http;

import io.heraldmq.connect.Counters;
import io.heraldmq.connect.publish.Publisher;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers the {@code http} source's requests, on its one event loop. A request is checked (method, bearer token,
 * {@code Content-Type}, {@code Content-Length}), its body read within {@code max.request.bytes} and the
 * {@link BodyBudget}, parsed whole ({@link HttpBodyParser}; a malformed body is answered 400 and nothing of it is
 * published), and its records offered to the publisher all together or not at all.
 * <p>
 * <b>At-least-once.</b> 200 is sent only once the broker has acknowledged the request's last record, and with it
 * (the publisher acknowledges in order) every record of the request. A full window is answered 429 with
 * {@code Retry-After} (nothing taken); no acknowledgement within {@code ack.timeout} 503 with {@code Retry-After}
 * (the records stay in the publisher and will be delivered, so a client that sends again may cause duplicates). A
 * client that gets no 200 must send again; one that gets 200 may forget the records.
 * <p>
 * Answers other than 200: 400 malformed body (the message names the line), 401 missing or wrong bearer token, 405 not
 * a POST, 413 body over {@code max.request.bytes} or more records than {@code window}, 415 unknown
 * {@code Content-Type}, 429 window full, 503 stopping or not acknowledged in time. A request refused before its body
 * was read still has its body read and discarded (up to twice {@code max.request.bytes}, at least 1 MiB) before the answer, so the
 * connection stays usable and the client is not reset before it reads the answer; a client that sent
 * {@code Expect: 100-continue} is answered at once instead.
 */
final class HttpIngestHandler implements Handler<HttpServerRequest> {
    private static final System.Logger LOG = System.getLogger(HttpIngestHandler.class.getName());
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final String name;
    private final Vertx vertx;
    private final Publisher publisher;
    private final HttpBodyParser parser;
    private final HttpRecords records;
    private final PropertyNames names;
    private final BodyBudget budget;
    /** {@code Bearer <token>} as bytes, or null when no token is required. */
    private final byte[] authorization;
    private final int maxRequestBytes;
    /** How much of a refused body is read and discarded before the connection is closed instead. */
    private final long drainLimit;
    private final Duration ackTimeout;
    private final Counters counters;

    private volatile boolean stopping;
    /** Requests taken and not yet answered (or given up by their client); guarded by itself. */
    private final int[] open = new int[1];
    private long lastWindowLogNanos;
    private long windowRefusalsSinceLog;

    HttpIngestHandler(String name, Vertx vertx, Publisher publisher, HttpBodyParser parser, HttpRecords records,
                      PropertyNames names, String token, int maxRequestBytes, Duration ackTimeout,
                      Counters counters) {
        this.name = name;
        this.vertx = vertx;
        this.publisher = publisher;
        this.parser = parser;
        this.records = records;
        this.names = names;
        this.authorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
        this.drainLimit = Math.max(2L * maxRequestBytes, 1024 * 1024);
        // At most four bodies of the largest size at once; more requests wait, paused.
        this.budget = new BodyBudget(4L * maxRequestBytes);
        this.ackTimeout = ackTimeout;
        this.counters = counters;
    }

    /** New requests are answered 503 from now on. */
    void stopTakingRequests() {
        stopping = true;
    }

    /** Waits until every request taken so far has been answered; false on timeout. */
    boolean awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (open) {
            while (open[0] > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                open.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    private void opened() {
        synchronized (open) {
            open[0]++;
        }
    }

    private void closed() {
        synchronized (open) {
            open[0]--;
            open.notifyAll();
        }
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (stopping) {
            req.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            reject(req, 503, "stopping");
            return;
        }
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader(HttpHeaders.ALLOW, "POST");
            reject(req, 405, "POST only");
            return;
        }
        if (authorization != null && !authorized(req.getHeader(HttpHeaders.AUTHORIZATION))) {
            LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress()
                    + ": missing or wrong bearer token");
            req.response().putHeader("WWW-Authenticate", "Bearer");
            reject(req, 401, "missing or wrong bearer token");
            return;
        }
        BodyFormat format = BodyFormat.of(req.getHeader(HttpHeaders.CONTENT_TYPE));
        if (format == null) {
            LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress()
                    + ": Content-Type " + req.getHeader(HttpHeaders.CONTENT_TYPE));
            reject(req, 415, "Content-Type must be one of " + BodyFormat.SUPPORTED);
            return;
        }
        long declared = contentLength(req);
        if (declared > maxRequestBytes) {
            LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress()
                    + ": body of " + declared + " bytes, more than max.request.bytes");
            reject(req, 413, "body of " + declared + " bytes is larger than max.request.bytes = " + maxRequestBytes);
            return;
        }
        // A compressed body's length says nothing of its decompressed size, which is what is held.
        String encoding = req.getHeader(HttpHeaders.CONTENT_ENCODING);
        boolean compressed = encoding != null && !encoding.equalsIgnoreCase("identity");
        int reserve = declared >= 0 && !compressed ? (int) declared : maxRequestBytes;
        new Exchange(req, format, reserve).start();
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        byte[] given = header.getBytes(StandardCharsets.UTF_8);
        if (given.length >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            System.arraycopy(authorization, 0, given, 0, 7); // the scheme is case-insensitive
        }
        return MessageDigest.isEqual(authorization, given); // constant time: no token guessing by timing
    }

    private static long contentLength(HttpServerRequest req) {
        String v = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean expectsContinue(HttpServerRequest req) {
        return "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT));
    }

    /** Answers a request whose body was not read: see the class comment. */
    private void reject(HttpServerRequest req, int status, String message) {
        HttpServerResponse resp = req.response();
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, TEXT);
        if (req.isEnded()) {
            resp.end(message + "\n");
            return;
        }
        if (expectsContinue(req)) {
            endAndClose(req, message);
            return;
        }
        long[] discarded = {0};
        req.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > drainLimit && !resp.ended()) {
                endAndClose(req, message);
            }
        });
        req.exceptionHandler(e -> { });
        req.endHandler(v -> {
            if (!resp.ended()) {
                resp.end(message + "\n");
            }
        });
    }

    private static void endAndClose(HttpServerRequest req, String message) {
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        req.response().end(message + "\n").onComplete(v -> req.connection().close());
    }

    private void refusedForWindow(int n) {
        counters.dropped.addAndGet(n);
        windowRefusalsSinceLog += n;
        long now = System.nanoTime();
        if (now - lastWindowLogNanos > TimeUnit.SECONDS.toNanos(10)) {
            LOG.log(System.Logger.Level.WARNING, name + ": publisher window full (the broker is slow or away); "
                    + "answered 429 for " + windowRefusalsSinceLog + " record(s) since the last report");
            lastWindowLogNanos = now;
            windowRefusalsSinceLog = 0;
        }
    }

    /** One request from its headers to its answer. */
    private final class Exchange {
        private final HttpServerRequest req;
        private final HttpServerResponse resp;
        private final BodyFormat format;
        private final int reserved;
        private final Context context;
        private final Runnable granted = this::read;
        private boolean released;
        private boolean answered;
        private byte[] body;
        private int size;
        private boolean tooLarge;
        private long discarded;
        private long timer = -1;
        private int accepted;
        private int refused;

        Exchange(HttpServerRequest req, BodyFormat format, int reserved) {
            this.req = req;
            this.resp = req.response();
            this.format = format;
            this.reserved = reserved;
            this.context = vertx.getOrCreateContext();
        }

        void start() {
            opened();
            req.pause();
            req.exceptionHandler(e -> gone());
            resp.closeHandler(v -> gone());
            budget.acquire(reserved, granted);
        }

        private void read() {
            if (answered) {
                release();
                return;
            }
            body = new byte[Math.min(reserved, 64 * 1024)];
            req.handler(this::chunk);
            req.endHandler(v -> ended());
            if (expectsContinue(req)) {
                resp.writeContinue();
            }
            req.resume();
        }

        private void chunk(Buffer b) {
            int n = b.length();
            if (tooLarge) {
                discarded += n;
                if (discarded > drainLimit && !answered) {
                    answered = true;
                    closed();
                    resp.setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, TEXT);
                    endAndClose(req, tooLargeMessage());
                }
                return;
            }
            if ((long) size + n > maxRequestBytes) {
                // Keep reading, discarding, so the client is answered rather than reset (bounded: see above).
                tooLarge = true;
                discarded = (long) size + n;
                body = null;
                release();
                return;
            }
            if (size + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(maxRequestBytes, Math.max(2L * body.length, size + n)));
            }
            b.getBytes(body, size);
            size += n;
        }

        private String tooLargeMessage() {
            return "body larger than max.request.bytes = " + maxRequestBytes;
        }

        private void ended() {
            if (answered) {
                return;
            }
            if (tooLarge) {
                LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress() + ": "
                        + tooLargeMessage());
                answer(413, tooLargeMessage(), TEXT);
                return;
            }
            List<HttpBodyParser.BodyRecord> parsed;
            try {
                parsed = parser.parse(format, body, size, query());
            } catch (MalformedBodyException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress()
                        + " (nothing of it published): " + e.getMessage());
                answer(400, e.getMessage(), TEXT);
                return;
            } finally {
                body = null;
                release();
            }
            if (stopping) {
                resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                answer(503, "stopping", TEXT);
                return;
            }
            String peerHost = req.remoteAddress().hostAddress();
            HttpRecords.Prepared p = records.prepare(parsed, peerHost + ":" + req.remoteAddress().port(),
                    peerHost, () -> context.runOnContext(v -> acknowledged()));
            accepted = p.records().size();
            refused = p.refused();
            if (accepted == 0) {
                answerAccepted();
                return;
            }
            if (accepted > publisher.window()) {
                counters.dropped.addAndGet(accepted);
                String m = accepted + " records in one request, more than window = " + publisher.window()
                        + ": send fewer per request";
                LOG.log(System.Logger.Level.WARNING, name + ": refused a request from " + req.remoteAddress() + ": "
                        + m);
                answer(413, m, TEXT);
                return;
            }
            boolean taken;
            try {
                taken = publisher.offerAll(p.records());
            } catch (IllegalStateException closedWhileStopping) {
                resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                answer(503, "stopping", TEXT);
                return;
            }
            if (!taken) {
                refusedForWindow(accepted);
                resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                answer(429, "the window of records not yet acknowledged by the broker is full; send again later",
                        TEXT);
                return;
            }
            timer = vertx.setTimer(ackTimeout.toMillis(), id -> {
                timer = -1;
                resp.putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                answer(503, "not acknowledged by the broker within ack.timeout; the records may still be delivered,"
                        + " so sending them again may duplicate them", TEXT);
            });
        }

        private Map<String, Object> query() {
            if (req.query() == null) {
                return Map.of();
            }
            MultiMap params = req.params();
            Map<String, Object> m = new HashMap<>();
            for (String n : params.names()) {
                m.put(names.of(n), params.get(n));
            }
            return m;
        }

        /** On the event loop, once the broker has every record of this request. */
        private void acknowledged() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            answerAccepted();
        }

        private void answerAccepted() {
            answer(200, "{\"accepted\":" + accepted + ",\"refused\":" + refused + "}", "application/json");
        }

        private void answer(int status, String text, String contentType) {
            if (answered) {
                return;
            }
            answered = true;
            closed();
            if (resp.closed()) {
                return; // the client went away; what it sent is published all the same
            }
            resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
            if (req.isEnded()) {
                resp.end(text + "\n");
            } else {
                endAndClose(req, text);
            }
        }

        /** The connection closed before the answer. */
        private void gone() {
            if (!released && budget.cancel(granted)) {
                released = true; // never granted: nothing to give back
            }
            body = null;
            release();
            if (!answered && timer < 0) {
                // Not waiting for an acknowledgement: nothing will answer it any more.
                answered = true;
                closed();
            }
        }

        private void release() {
            if (!released) {
                released = true;
                budget.release(reserved);
            }
        }
    }
}
