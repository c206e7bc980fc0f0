package io.heraldmq.connect;

import java.util.Map;

/**
 * One connector's validated configuration: every key known to its type and already parsed.
 *
 * @param values parsed values by option key; an option not given is absent (its default applies)
 */
public record ConnectorSettings(String name, ConnectorType type, Map<String, Object> values) {
    public ConnectorSettings {
        values = Map.copyOf(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        Object v = values.get(option.key());
        return v != null ? (T) v : option.defaultValue();
    }

    /** The full key of an option, for error messages: {@code connector.NAME.KEY}. */
    public String key(Option<?> option) {
        return "connector." + name + "." + option.key();
    }
}
