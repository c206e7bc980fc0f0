package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.junit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A single node (no cluster.members) has no cluster parts and answers the CLUSTER_ operations with an error. */
class NotClusteredIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void clusterOperationsSayNotClustered() {
        assertNull(broker.broker().membership());
        assertNull(broker.broker().partitionTable());
        assertNull(broker.broker().replicaStates());
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            for (Runnable op : new Runnable[]{admin::clusterStatus, () -> admin.drainBroker("b1", false),
                    admin::rebalanceCluster}) {
                HeraldAdminException e = assertThrows(HeraldAdminException.class, op::run);
                assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
                assertTrue(e.getMessage().contains("not clustered"), e.getMessage());
            }
        }
    }
}
