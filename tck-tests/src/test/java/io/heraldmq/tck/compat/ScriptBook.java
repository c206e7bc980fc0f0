package io.heraldmq.tck.compat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hand-written scripts of the differential suite, by name (names are listed in docs/compatibility.md). */
public final class ScriptBook {
    private final Map<String, Script> scripts = new LinkedHashMap<>();

    private ScriptBook() {
    }

    public static Map<String, Script> all() {
        ScriptBook book = new ScriptBook();
        ConnectionScripts.addTo(book);
        SessionScripts.addTo(book);
        AcknowledgeScripts.addTo(book);
        ListenerScripts.addTo(book);
        ClosingScripts.addTo(book);
        PropertyScripts.addTo(book);
        DestinationScripts.addTo(book);
        SubscriptionScripts.addTo(book);
        TransactionScripts.addTo(book);
        SelectorScripts.addTo(book);
        TimingScripts.addTo(book);
        return Collections.unmodifiableMap(book.scripts);
    }

    public void add(String name, Script script) {
        if (scripts.put(name, script) != null) {
            throw new IllegalArgumentException("two scripts named " + name);
        }
    }
}
