package io.heraldmq.tck.compat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a random, valid-looking sequence of JMS calls from a seed over a small model: two queues and a topic, a
 * few connections, sessions of every mode, producers (named and unidentified), consumers (plain, durable, shared,
 * shared durable; with or without a selector), sends, receives, acknowledge, commit, rollback, recover, unsubscribe,
 * browse and closes. It keeps to what both brokers must decide the same way: at most one open consumer on a queue or
 * a shared subscription at a time (with several, how a broker spreads messages is its own choice), one priority.
 * Calls on closed objects and calls that the mode forbids are made on purpose now and then.
 */
public final class SequenceGenerator {
    private final Random random;
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> connections = new ArrayList<>();
    private final Set<Integer> openConnections = new HashSet<>();
    private final Map<Integer, Integer> sessionConnection = new HashMap<>();
    private final Map<Integer, Integer> sessionMode = new HashMap<>();
    private final List<Integer> sessions = new ArrayList<>();
    private final List<Integer> producers = new ArrayList<>();
    private final Map<Integer, Integer> producerDestination = new HashMap<>();
    private final List<Integer> consumers = new ArrayList<>();
    private final List<Integer> openConsumers = new ArrayList<>();
    private final Map<Integer, Integer> consumerSession = new HashMap<>();
    private final Set<Integer> consumedQueues = new HashSet<>();
    /** Transacted sessions with uncommitted sends to the topic. */
    private final Set<Integer> pendingTopicSends = new HashSet<>();
    private final Map<Integer, Integer> producerSession = new HashMap<>();
    /** Open consumers on a queue or a shared subscription, by what they hold ("q0", "shared sub0"...). */
    private final Map<String, Integer> exclusive = new HashMap<>();
    private final Map<Integer, String> consumerHolds = new HashMap<>();

    public SequenceGenerator(long seed) {
        this.random = new Random(seed);
    }

    public static List<Op> generate(long seed, int length) {
        return new SequenceGenerator(seed).run(length);
    }

    private List<Op> run(int length) {
        newConnection();
        while (ops.size() < length) {
            step();
        }
        return List.copyOf(ops);
    }

    private int add(Op.Kind kind, int a, int b, int c) {
        int id = ops.size();
        ops.add(new Op(kind, id, a, b, c));
        return id;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private void step() {
        int roll = random.nextInt(100);
        if (sessions.isEmpty() || roll < 4) {
            newSession();
        } else if (roll < 7 && connections.size() < 3) {
            newConnection();
        } else if (roll < 12) {
            add(Op.Kind.START, pick(connections), 0, 0);
        } else if (roll < 14) {
            add(Op.Kind.STOP, pick(connections), 0, 0);
        } else if (roll < 20 || producers.isEmpty()) {
            int session = pick(sessions);
            int destination = chance(25) ? -1 : random.nextInt(3);
            int id = add(Op.Kind.PRODUCER, session, destination, 0);
            producers.add(id);
            producerSession.put(id, session);
            producerDestination.put(id, destination);
        } else if (roll < 42) {
            int producer = pick(producers);
            int destination = producerDestination.get(producer) < 0 || chance(5) ? random.nextInt(3) : -1;
            add(Op.Kind.SEND, producer, destination, random.nextInt(4));
            int target = destination >= 0 ? destination : producerDestination.get(producer);
            int session = producerSession.get(producer);
            if (target == 2 && sessionMode.get(session) == 0) {
                pendingTopicSends.add(session);
            }
        } else if (roll < 50) {
            newConsumer();
        } else if (roll < 70 && !openConsumers.isEmpty()) {
            // Not on a closed consumer: Artemis then rolls back the session's transaction (docs/compatibility.md).
            add(Op.Kind.RECEIVE, pick(openConsumers), 0, 0);
        } else if (roll < 74) {
            add(Op.Kind.ACKNOWLEDGE, pick(sessions), 0, 0);
        } else if (roll < 79) {
            int session = pick(sessions);
            add(Op.Kind.COMMIT, session, 0, 0);
            pendingTopicSends.remove(session);
        } else if (roll < 83) {
            int session = pick(sessions);
            add(Op.Kind.ROLLBACK, session, 0, 0);
            pendingTopicSends.remove(session);
        } else if (roll < 86) {
            add(Op.Kind.RECOVER, pick(sessions), 0, 0);
        } else if (roll < 90 && !consumers.isEmpty()) {
            int consumer = pick(consumers);
            add(Op.Kind.CLOSE_CONSUMER, consumer, 0, 0);
            release(consumer);
        } else if (roll < 92) {
            add(Op.Kind.CLOSE_PRODUCER, pick(producers), 0, 0);
        } else if (roll < 94) {
            int session = pick(sessions);
            add(Op.Kind.CLOSE_SESSION, session, 0, 0);
            pendingTopicSends.remove(session);
            consumers.stream().filter(c -> sessionOf(c) == session).toList().forEach(this::release);
        } else if (roll < 95) {
            int connection = pick(connections);
            add(Op.Kind.CLOSE_CONNECTION, connection, 0, 0);
            pendingTopicSends.removeIf(session -> sessionConnection.get(session) == connection);
            openConnections.remove(connection);
            consumers.stream().filter(c -> sessionConnection.get(sessionOf(c)) == connection).toList()
                    .forEach(this::release);
        } else if (roll < 97) {
            add(Op.Kind.UNSUBSCRIBE, pick(sessions), random.nextInt(Op.SUBSCRIPTIONS.length), 0);
        } else {
            // Not on a queue that has had a consumer: Artemis hides messages delivered and not yet acknowledged
            // (in a consumer's buffer, or held by a session after its consumer closed) from browsers, HeraldMQ shows
            // them (docs/compatibility.md).
            int queue = random.nextInt(2);
            if (!consumedQueues.contains(queue)) {
                add(Op.Kind.BROWSE, pick(sessions), queue, 0);
            }
        }
    }

    private int sessionOf(int consumer) {
        return consumerSession.get(consumer);
    }

    private void release(int consumer) {
        openConsumers.remove(Integer.valueOf(consumer));
        String held = consumerHolds.remove(consumer);
        if (held != null) {
            exclusive.remove(held);
        }
    }

    /** A connection, with a client id (one of two, so that two connections may want the same) a third of the time. */
    private void newConnection() {
        int id = add(Op.Kind.CONNECTION, random.nextInt(3) == 0 ? random.nextInt(2) : -1, 0, 0);
        connections.add(id);
        openConnections.add(id);
    }

    private void newSession() {
        if (connections.isEmpty() || openConnections.isEmpty() && chance(90)) {
            newConnection();
        }
        List<Integer> open = new ArrayList<>(openConnections);
        int connection = open.isEmpty() || chance(3) ? pick(connections) : pick(open);
        int mode = random.nextInt(4);
        int id = add(Op.Kind.SESSION, connection, mode, chance(30) ? 1 : 0);
        sessions.add(id);
        sessionConnection.put(id, connection);
        sessionMode.put(id, mode);
    }

    private void newConsumer() {
        int session = pick(sessions);
        int destination = random.nextInt(3);
        int kind = Op.isQueue(destination) ? 0 : random.nextInt(4);
        int id = ops.size();
        // A shared durable subscription keeps one selector: Artemis refuses another one even once all its consumers
        // closed, where HeraldMQ replaces the subscription as the specification says (docs/compatibility.md).
        int selector = kind == 3 ? id % 2 : chance(70) ? 0 : 1 + random.nextInt(3);
        if (!Op.isQueue(destination) && !pendingTopicSends.isEmpty()) {
            // A transaction's topic message goes, on Artemis, to the subscriptions at its send, on HeraldMQ to
            // those at its commit (docs/compatibility.md): no new subscription in between.
            return;
        }
        String holds = Op.isQueue(destination) ? "queue " + destination
                : kind == 2 ? "shared " + Op.subscription(kind, id)
                : kind == 3 ? "sharedDurable " + Op.subscription(kind, id) : null;
        if (holds != null && exclusive.containsKey(holds)) {
            add(Op.Kind.RECEIVE, exclusive.get(holds), 0, 0);
            return;
        }
        add(Op.Kind.CONSUMER, session, destination, kind * 4 + selector);
        if (Op.isQueue(destination)) {
            consumedQueues.add(destination);
        }
        consumers.add(id);
        openConsumers.add(id);
        consumerSession.put(id, session);
        if (holds != null) {
            exclusive.put(holds, id);
            consumerHolds.put(id, holds);
        }
    }
}
