package io.heraldmq.connect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Options that several connector types share; each type lists the ones it takes in its own option list. */
public final class CommonOptions {
    /** The key every connector needs: {@code file}, {@code syslog}, {@code file-sink}, ... */
    public static final Option<String> TYPE = Option.required("type", Option::text);
    /** The broker, when the connector runs outside it. */
    public static final Option<String> URL = Option.optional("url", "tcp://127.0.0.1:7440", Option::text);
    /** A source's destination template ({@link DestinationTemplate}); a sink's source of messages. */
    public static final Option<String> DESTINATION = Option.required("destination", Option::text);
    /** Records a source may have accepted and not yet had acknowledged; the bound on its memory. */
    public static final Option<Integer> WINDOW = Option.optional("window", 10_000, Option::positiveInt);
    /** The longest line or event a source takes, in bytes (UTF-8). */
    public static final Option<Long> MAX_LINE_BYTES = Option.optional("max.line.bytes", 64L * 1024, Option::bytes);
    /** What a source does with a longer one. */
    public static final Option<LongLines> LONG_LINES = Option.optional("long.lines", LongLines.CUT,
            Option.oneOf(LongLines.class));

    /** How a source sends: asynchronous PERSISTENT sends, or transactions of what is waiting. */
    public static final Option<SendMode> SEND = Option.optional("send", SendMode.TRANSACTED,
            Option.oneOf(SendMode.class));
    /** The most records in one transaction ({@code send = transacted}). */
    public static final Option<Integer> TRANSACTION_SIZE = Option.optional("transaction.size", 1000,
            Option::positiveInt);

    /**
     * The broker's JNDI environment ({@code jndi.java.naming.factory.initial}, {@code jndi.connectionFactory.cf},
     * ...): when given, the connector talks to the connection factory {@code connection.factory} looked up there,
     * of any JMS provider, instead of HeraldMQ at {@code url}.
     */
    public static final Option<Map<String, String>> JNDI = Option.prefixed("jndi.");
    /** The JNDI name of the broker's connection factory (with {@code jndi.*}). */
    public static final Option<String> CONNECTION_FACTORY = Option.optional("connection.factory",
            "ConnectionFactory", Option::text);
    /** The provider's jars, loaded apart from HeraldMQ's classes (with {@code jndi.*}; see ProviderClassLoader). */
    public static final Option<List<Path>> CLASSPATH = Option.optional("classpath", List.of(), Option::paths);
    /** The options that name the broker by JNDI; every type takes them. */
    public static final List<Option<?>> BROKER_JNDI = List.of(JNDI, CONNECTION_FACTORY, CLASSPATH);

    /** The options every source takes. */
    public static final List<Option<?>> SOURCE = List.of(URL, DESTINATION, WINDOW, MAX_LINE_BYTES, LONG_LINES, SEND,
            TRANSACTION_SIZE);

    /** The transaction size to give a publisher for these settings: 0 for asynchronous sends. */
    public static int transactedBatch(ConnectorSettings s) {
        return s.get(SEND) == SendMode.TRANSACTED ? s.get(TRANSACTION_SIZE) : 0;
    }

    /** See {@link io.heraldmq.connect.publish.Publisher}. */
    public enum SendMode {
        /** {@code send(msg, CompletionListener)}: acknowledged one by one, pipelined as far as the provider does. */
        ASYNC,
        /** Everything waiting, up to {@code transaction.size}, sent in one transaction and committed. */
        TRANSACTED
    }

    /** What a source does with a line longer than {@code max.line.bytes}; both log a line saying so. */
    public enum LongLines {
        /** Sends its first {@code max.line.bytes} (cut at a character boundary) with {@code truncated = true}. */
        CUT,
        /** Does not send it; counts it as dropped. */
        REFUSE
    }

    private CommonOptions() {
    }
}
