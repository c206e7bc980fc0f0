package io.heraldmq.bench;

import javax.naming.InitialContext;

/**
 * The load generator: runs the selected scenarios, one after another, against whatever broker the
 * {@code jndi.properties} on its classpath names, and reports each number as a {@link ResultLine}. It knows no
 * provider: {@code jakarta.jms} and {@code javax.naming} only. The runner starts one per broker, in a JVM whose
 * classpath holds that broker's client library only.
 */
public final class BenchClient {
    private BenchClient() {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        InitialContext context = new InitialContext();
        Jndi jndi = new Jndi(context);
        try {
            for (ScenarioKey key : settings.scenarios()) {
                System.out.println("scenario " + key.key() + " ...");
                long start = System.nanoTime();
                try {
                    run(key, settings, jndi);
                } catch (ScenarioUnsupportedException e) {
                    ResultLine.unsupported(key, e.getMessage());
                } catch (ScenarioFailedException e) {
                    ResultLine.failed(key, e.getMessage());
                } catch (Exception e) {
                    e.printStackTrace(System.out);
                    ResultLine.failed(key, e.toString());
                }
                System.out.printf("scenario %s took %.1f s%n", key.key(), (System.nanoTime() - start) / 1e9);
            }
        } finally {
            context.close();
        }
        System.out.flush();
        // some providers keep non-daemon threads after their connections are closed
        System.exit(0);
    }

    private static void run(ScenarioKey key, BenchSettings settings, Jndi jndi) throws Exception {
        switch (key) {
            case LATENCY -> new LatencyScenario(settings, jndi).run();
            case BACKLOG -> new BacklogScenario(settings, jndi).run();
            case REPLAY -> new ReplayScenario(key, false, settings, jndi).run();
            case REPLAY_COLD -> new ReplayScenario(key, true, settings, jndi).run();
            default -> new ThroughputScenario(ThroughputScenario.shapeOf(key), settings, jndi).run();
        }
    }
}
