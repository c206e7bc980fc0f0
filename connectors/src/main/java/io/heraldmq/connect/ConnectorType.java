package io.heraldmq.connect;

import io.heraldmq.connect.file.FileSourceConnector;
import io.heraldmq.connect.http.HttpSinkConnector;
import io.heraldmq.connect.http.HttpSourceConnector;
import io.heraldmq.connect.jdbc.JdbcSinkConnector;
import io.heraldmq.connect.jms.JmsSourceConnector;
import io.heraldmq.connect.otlp.OtlpSourceConnector;
import io.heraldmq.connect.sink.FileSinkConnector;
import io.heraldmq.connect.syslog.SyslogSourceConnector;
import jakarta.jms.ConnectionFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of {@code connector.<name>.type}: each with the options it takes (declared by its connector class) and
 * how it is made. The types without a factory are part of the file format already but not built yet; a file naming
 * one is refused. Every type also takes {@code type} and {@link CommonOptions#BROKER_JNDI}.
 */
public enum ConnectorType {
    FILE("file", FileSourceConnector.OPTIONS, FileSourceConnector::new),
    SYSLOG("syslog", SyslogSourceConnector.OPTIONS, SyslogSourceConnector::new),
    FILE_SINK("file-sink", FileSinkConnector.OPTIONS, FileSinkConnector::new),
    HTTP("http", HttpSourceConnector.OPTIONS, HttpSourceConnector::new),
    OTLP("otlp", OtlpSourceConnector.OPTIONS, OtlpSourceConnector::new),
    JMS("jms", JmsSourceConnector.OPTIONS, JmsSourceConnector::new),
    HTTP_SINK("http-sink", HttpSinkConnector.OPTIONS, HttpSinkConnector::new),
    JDBC_SINK("jdbc-sink", JdbcSinkConnector.OPTIONS, JdbcSinkConnector::new);

    /** Makes a connector from its settings and the factory of the broker it talks to. */
    @FunctionalInterface
    public interface Factory {
        Connector create(ConnectorSettings settings, ConnectionFactory factory);
    }

    private final String text;
    private final List<Option<?>> options;
    private final Factory factory;

    ConnectorType(String text) {
        this(text, List.of(), null);
    }

    ConnectorType(String text, List<Option<?>> options, Factory factory) {
        this.text = text;
        List<Option<?>> all = new ArrayList<>(options);
        all.add(0, CommonOptions.TYPE);
        all.addAll(CommonOptions.BROKER_JNDI);
        this.options = List.copyOf(all);
        this.factory = factory;
    }

    /** The type written as {@code text}; throws naming the supported ones if it is not one of them. */
    public static ConnectorType parse(String text) {
        List<String> supported = new ArrayList<>();
        for (ConnectorType t : values()) {
            if (t.text.equals(text)) {
                if (!t.isSupported()) {
                    throw new IllegalArgumentException("type " + text + " is not yet supported (supported: "
                            + supportedNames() + ")");
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type " + text + " (supported: " + supportedNames() + ")");
    }

    private static List<String> supportedNames() {
        List<String> names = new ArrayList<>();
        for (ConnectorType t : values()) {
            if (t.isSupported()) {
                names.add(t.text);
            }
        }
        return names;
    }

    public boolean isSupported() {
        return factory != null;
    }

    /** Every key this type takes, {@code type} included. */
    public List<Option<?>> options() {
        return options;
    }

    public Connector create(ConnectorSettings settings, ConnectionFactory connectionFactory) {
        return factory.create(settings, connectionFactory);
    }

    @Override
    public String toString() {
        return text;
    }
}
