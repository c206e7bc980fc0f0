package io.heraldmq.server.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClusterRouterTest {
    @Test
    void aTemporaryDestinationLivesOnTheBrokerOfItsConnection() {
        // temp-<connection id>-<n>, connection id = <broker id>-<n>; broker ids may contain '-'
        assertEquals("b1", ClusterRouter.ownerOfTemporary("temp-b1-4-2"));
        assertEquals("5f2c-9a", ClusterRouter.ownerOfTemporary("temp-5f2c-9a-17-1"));
        assertNull(ClusterRouter.ownerOfTemporary("orders"));
        assertNull(ClusterRouter.ownerOfTemporary("temp-1"));
        assertNull(ClusterRouter.ownerOfTemporary("temp--1-2"));
    }
}
