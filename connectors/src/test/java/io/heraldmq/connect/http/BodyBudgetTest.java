package io.heraldmq.connect.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyBudgetTest {
    @Test
    void requestsThatDoNotFitWaitAndAreGrantedInArrivalOrder() {
        BodyBudget budget = new BodyBudget(100);
        List<String> granted = new ArrayList<>();
        budget.acquire(60, () -> granted.add("a"));
        budget.acquire(60, () -> granted.add("b"));
        budget.acquire(10, () -> granted.add("c")); // would fit, but must not overtake b
        assertEquals(List.of("a"), granted);
        budget.release(60);
        assertEquals(List.of("a", "b", "c"), granted);
        assertEquals(70, budget.used());
    }

    @Test
    void aCancelledWaiterIsForgottenAndTheNextOneGranted() {
        BodyBudget budget = new BodyBudget(100);
        List<String> granted = new ArrayList<>();
        budget.acquire(90, () -> granted.add("a"));
        Runnable b = () -> granted.add("b");
        budget.acquire(50, b);
        budget.acquire(10, () -> granted.add("c"));
        assertTrue(budget.cancel(b));
        assertEquals(List.of("a", "c"), granted);
        assertFalse(budget.cancel(b));
        budget.release(90);
        budget.release(10);
        assertEquals(0, budget.used());
    }
}
