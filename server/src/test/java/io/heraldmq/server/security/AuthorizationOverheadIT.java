package io.heraldmq.server.security;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What authorization costs on the produce path, measured, not asserted: synchronous PERSISTENT sends per second to
 * a broker without users, one with users and permissions (every send checked, the decision cached per connection)
 * and one that also populates JMSXUserID, in alternating rounds in one JVM. {@code log.flush.policy = never}, so the
 * answer does not wait for fsync and the broker's own work shows. Only with {@code -Dbench=true}:
 * {@code mvn -pl provider,server verify -Dtest=none -Dit.test=AuthorizationOverheadIT -Dbench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class AuthorizationOverheadIT {
    private static final int SENDS = 10_000;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void syncSendsPerSecondWithAndWithoutAuthorization() throws Exception {
        String hash = PasswordHash.create("pw".toCharArray(), 1_000).encoded();
        Map<String, String> secured = Map.of("user.alice", hash, "user.alice.roles", "app",
                "permission.send.bench.#", "app", "permission.createDestination.bench.#", "app");
        Map<String, String> populating = new java.util.HashMap<>(secured);
        populating.put("security.populate.user.id", "true");
        String[] names = {"no users", "users+permissions", "users+permissions+JMSXUserID"};
        List<Map<String, String>> settings = List.of(Map.of(), secured, populating);
        List<Broker> brokers = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        List<MessageProducer> producers = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < settings.size(); i++) {
                BrokerConfig config = BrokerConfig.defaults().with(settings.get(i)).with(Map.of(
                        "log.flush.policy", "never", "port", "0", "data.dir", dir.resolve("b" + i).toString()));
                Broker b = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                brokers.add(b);
                HeraldConnectionFactory cf = new HeraldConnectionFactory(b.url());
                Connection c = i == 0 ? cf.createConnection() : cf.createConnection("alice", "pw");
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                sessions.add(s);
                MessageProducer p = s.createProducer(s.createQueue("bench.orders"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                producers.add(p);
                run(s, p, SENDS); // warm-up
            }
            double[][] rates = new double[settings.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < settings.size(); i++) {
                    long start = System.nanoTime();
                    run(sessions.get(i), producers.get(i), SENDS);
                    rates[i][round] = SENDS / ((System.nanoTime() - start) / 1e9);
                }
            }
            double base = median(rates[0]);
            for (int i = 0; i < settings.size(); i++) {
                System.out.printf("BENCH %-30s median %8.0f sends/s (rounds %s), ratio to no users %.3f%n", names[i],
                        median(rates[i]), Arrays.toString(Arrays.stream(rates[i]).mapToLong(Math::round).toArray()),
                        median(rates[i]) / base);
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            for (Broker b : brokers) {
                b.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(Session s, MessageProducer p, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            p.send(s.createTextMessage("order " + i));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
