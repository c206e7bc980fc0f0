package io.heraldmq.bench;

/** The provider refused a JMS feature the scenario needs (for example a transacted session). */
public final class ScenarioUnsupportedException extends Exception {
    public ScenarioUnsupportedException(String message, Throwable cause) {
        super(message, cause);
    }
}
