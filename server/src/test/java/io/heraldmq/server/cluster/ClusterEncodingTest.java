package io.heraldmq.server.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The string forms the cluster maps store, and the broker id file. */
class ClusterEncodingTest {
    @Test
    void partitionKeysRoundTripEvenWithColonsInNames() {
        assertEquals("q:orders:0", new PartitionKey(true, "orders", 0).encode());
        assertEquals("t:prices:12", new PartitionKey(false, "prices", 12).encode());
        for (String name : List.of("orders", "a:b", ":", "x::1", "7", "DLQ.a:b:3", "ü é")) {
            for (boolean queue : new boolean[]{true, false}) {
                PartitionKey k = new PartitionKey(queue, name, 3);
                assertEquals(k, PartitionKey.parse(k.encode()), k.encode());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PartitionKey.parse("x:orders:0"));
        assertThrows(IllegalArgumentException.class, () -> PartitionKey.parse("q:orders"));
        assertThrows(IllegalArgumentException.class, () -> PartitionKey.parse("q:orders:a"));
        assertThrows(IllegalArgumentException.class, () -> PartitionKey.parse("q::0"));
    }

    @Test
    void assignmentsRoundTrip() {
        PartitionAssignment a = new PartitionAssignment(List.of("b1", "b2", "b3"), "b1", 4, List.of("b1", "b3"));
        assertEquals("4|b1|b1,b2,b3|b1,b3", a.encode());
        assertEquals(a, PartitionAssignment.decode(a.encode()));
        PartitionAssignment offline = a.withLeader(null, 4).withIsr(List.of());
        assertEquals("4||b1,b2,b3|", offline.encode());
        assertEquals(offline, PartitionAssignment.decode(offline.encode()));
        assertEquals(new PartitionAssignment(List.of("b1", "b2", "b3"), "b2", 5, List.of("b1", "b3")),
                a.withLeader("b2", 5));
        assertThrows(IllegalArgumentException.class, () -> PartitionAssignment.decode("1|b1|b1"));
        assertThrows(IllegalArgumentException.class, () -> PartitionAssignment.decode("x|b1|b1|b1"));
    }

    @Test
    void assignmentsKeepTheirInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionAssignment(List.of("b1"), "b2", 1,
                List.of("b1")));
        assertThrows(IllegalArgumentException.class, () -> new PartitionAssignment(List.of("b1", "b1"), "b1", 1,
                List.of("b1")));
        assertThrows(IllegalArgumentException.class, () -> new PartitionAssignment(List.of("b1"), "b1", 1,
                List.of("b1", "b2")));
        assertThrows(IllegalArgumentException.class, () -> new PartitionAssignment(List.of(), null, 1, List.of()));
    }

    @Test
    void replicaStatesAndDefinitionsRoundTrip() {
        ReplicaState s = new ReplicaState(3, 1200, 1100);
        assertEquals(s, ReplicaState.decode(s.encode()));
        assertTrue(new ReplicaState(4, 0, 0).compareAsCandidate(new ReplicaState(3, 100, 100)) > 0);
        assertTrue(new ReplicaState(3, 101, 0).compareAsCandidate(new ReplicaState(3, 100, 100)) > 0);
        DestinationDefinition d = new DestinationDefinition(true, "jobs:eu", 3, -1, 1000);
        assertEquals(d, DestinationDefinition.decode(d.key(), d.encodeValue()));
        assertNotEquals(DestinationDefinition.key(true, "x"), DestinationDefinition.key(false, "x"));
    }

    @Test
    void brokerIdIsCreatedOnceAndKept(@TempDir Path dir) throws Exception {
        String id = BrokerIdentity.load(dir, null);
        assertTrue(ClusterSettings.ID.matcher(id).matches(), id);
        assertEquals(id, BrokerIdentity.load(dir, null));
        assertEquals(id, Files.readString(dir.resolve("broker-id")).trim());
        assertEquals(id, BrokerIdentity.load(dir, id));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BrokerIdentity.load(dir, "other"));
        assertTrue(e.getMessage().contains("belongs to broker " + id), e.getMessage());
        assertEquals("mine", BrokerIdentity.load(dir.resolve("sub"), "mine"));
        assertTrue(Files.notExists(dir.resolve("sub").resolve("broker-id.tmp")));
    }
}
