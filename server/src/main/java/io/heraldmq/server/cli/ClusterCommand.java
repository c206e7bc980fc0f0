package io.heraldmq.server.cli;

import io.heraldmq.admin.ClusterStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** {@code heraldmq cluster status|drain|rebalance}: the cluster a running broker belongs to. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Show the cluster's brokers and partitions, drain a broker, rebalance.")
public final class ClusterCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Lists the live brokers (* marks the coordinator) and every partition's leader, replicas,"
                    + " in-sync replicas, leader epoch and replica lag (messages behind the leader; - unknown).")
    int status(@Mixin OutputOption output, @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            ClusterStatus status = admin.clusterStatus();
            if (output.json()) {
                out.println(json(status).encode());
                return AdminCall.OK;
            }
            Table brokers = new Table("BROKER", "ADDRESS", "COORDINATOR");
            for (ClusterStatus.Member m : status.members()) {
                brokers.add(m.id(), m.address(), m.coordinator() ? "*" : "");
            }
            brokers.print(out);
            out.println();
            Table partitions = new Table("DESTINATION", "KIND", "PARTITION", "LEADER", "REPLICAS", "ISR", "EPOCH",
                    "LAG");
            for (ClusterStatus.Partition p : status.partitions()) {
                partitions.add(p.destination(), p.queue() ? "queue" : "topic", p.partition(),
                        p.leader() == null ? "offline" : p.leader(), String.join(",", p.replicas()),
                        String.join(",", p.isr()), p.leaderEpoch(), lag(p));
            }
            partitions.print(out);
            return AdminCall.OK;
        });
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Moves the leadership of every partition BROKER leads to another in-sync replica"
                    + " (e.g. before stopping it).")
    int drain(@Parameters(paramLabel = "BROKER", description = "the broker id, as cluster status shows it")
              String broker,
              @Option(names = "--replicas", description = "also move its replicas to other brokers (decommission)")
              boolean replicas,
              @Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            admin.drainBroker(broker, replicas);
            out.println("drained " + broker + (replicas ? " (leadership and replicas)" : " (leadership)"));
            return AdminCall.OK;
        });
    }

    @Command(name = "rebalance", mixinStandardHelpOptions = true,
            description = "Spreads replicas and leaderships evenly over the live brokers (e.g. after adding one).")
    int rebalance(@Mixin AdminOptions options) {
        return AdminCall.run(spec, options, (admin, out) -> {
            admin.rebalanceCluster();
            out.println("rebalanced");
            return AdminCall.OK;
        });
    }

    /** {"members":[{"id","address","coordinator"}],"partitions":[{... "lag":{"replica":n}}]} */
    static JsonObject json(ClusterStatus status) {
        JsonArray members = new JsonArray();
        for (ClusterStatus.Member m : status.members()) {
            members.add(new JsonObject().put("id", m.id()).put("address", m.address())
                    .put("coordinator", m.coordinator()));
        }
        JsonArray partitions = new JsonArray();
        for (ClusterStatus.Partition p : status.partitions()) {
            JsonObject lag = new JsonObject();
            for (String r : p.replicas()) {
                lag.put(r, p.lag().get(r));
            }
            partitions.add(new JsonObject().put("destination", p.destination())
                    .put("kind", p.queue() ? "queue" : "topic").put("partition", p.partition())
                    .put("leader", p.leader()).put("replicas", new JsonArray(p.replicas()))
                    .put("isr", new JsonArray(p.isr())).put("leaderEpoch", p.leaderEpoch()).put("lag", lag));
        }
        return new JsonObject().put("members", members).put("partitions", partitions);
    }

    private static String lag(ClusterStatus.Partition p) {
        List<String> out = new ArrayList<>();
        for (String r : p.replicas()) {
            Long l = p.lag().get(r);
            out.add(r + "=" + (l == null ? "-" : l));
        }
        return String.join(",", out);
    }
}
