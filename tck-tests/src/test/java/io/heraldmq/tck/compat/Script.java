package io.heraldmq.tck.compat;

/** A JMS program whose observable outcome is recorded in its run's {@link Trace}. */
@FunctionalInterface
public interface Script {
    void run(Run run) throws Exception;
}
