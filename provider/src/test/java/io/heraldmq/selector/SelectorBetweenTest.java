package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;
import static io.heraldmq.selector.Sel.eval;
import static io.heraldmq.selector.Sel.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 3.8.1.1 [NOT] BETWEEN: inclusive bounds; equivalent to age >= 15 AND age <= 19 / age < 15 OR age > 19. */
class SelectorBetweenTest {

    @ParameterizedTest
    @CsvSource({"14, F", "15, T", "17, T", "19, T", "20, F"})
    void betweenIncludesItsBounds(int age, String expected) {
        Boolean e = expected.equals("T");
        assertEval(e, "age BETWEEN 15 AND 19", "age", age);
        assertEval(!e, "age NOT BETWEEN 15 AND 19", "age", age);
        assertEval(e, "age BETWEEN 15.0 AND 19.0", "age", age);
        assertEval(e, "age BETWEEN 15 AND 19", "age", (double) age);
    }

    @Test
    void boundsCanBeExpressionsAndFractional() {
        assertEval(T, "x BETWEEN lo AND hi", "x", 2.5, "lo", 2, "hi", 3L);
        assertEval(T, "x + 1 BETWEEN lo * 2 AND hi - 1", "x", 4, "lo", 2, "hi", 6);
        assertEval(F, "x BETWEEN 3 AND 1", "x", 2);
        assertEval(T, "x NOT BETWEEN 3 AND 1", "x", 2);
        assertEval(T, "5 BETWEEN 5 AND 5");
    }

    @Test
    void nullOperandIsUnknown() {
        assertEval(U, "age BETWEEN 15 AND 19");
        assertEval(U, "age NOT BETWEEN 15 AND 19");
        assertEval(U, "NOT (age BETWEEN 15 AND 19)");
    }

    @Test
    void nullBoundFollowsTheEquivalentExpression() {
        // age >= lo AND age <= hi, three-valued
        assertEval(U, "age BETWEEN lo AND 19", "age", 17);
        assertEval(F, "age BETWEEN lo AND 19", "age", 20); // U AND F
        assertEval(U, "age BETWEEN 15 AND hi", "age", 17);
        assertEval(F, "age BETWEEN 15 AND hi", "age", 10); // F AND U
        // age < lo OR age > hi
        assertEval(U, "age NOT BETWEEN lo AND 19", "age", 17);
        assertEval(T, "age NOT BETWEEN lo AND 19", "age", 20); // U OR T
        assertEval(T, "age NOT BETWEEN 15 AND hi", "age", 10); // T OR U
        for (int age : new int[] {10, 17, 20}) {
            SelectorContext m = msg("age", age);
            assertEquals(eval("age >= lo AND age <= 19", m), eval("age BETWEEN lo AND 19", m));
            assertEquals(eval("age < lo OR age > 19", m), eval("age NOT BETWEEN lo AND 19", m));
        }
    }

    @Test
    void nonNumericOperandFollowsTheEquivalentExpression() {
        // comparisons of non-like types are false, so both BETWEEN and NOT BETWEEN are false
        assertEval(F, "age BETWEEN 15 AND 19", "age", "17");
        assertEval(F, "age NOT BETWEEN 15 AND 19", "age", "17");
        assertEval(F, "age BETWEEN lo AND 19", "age", 17, "lo", "15");
        assertEval(F, "age BETWEEN 15 AND 19", "age", true);
    }

    @Test
    void betweenOperandsMustBeArithmetic() {
        assertInvalid("age BETWEEN 'a' AND 'z'");
        assertInvalid("'m' BETWEEN 'a' AND 'z'");
        assertInvalid("age BETWEEN 1 AND TRUE");
        assertInvalid("(a = 1) BETWEEN 1 AND 2");
        assertInvalid("age BETWEEN 1");
        assertInvalid("age BETWEEN 1 OR 2");
        assertInvalid("age BETWEEN AND 2");
        assertInvalid("age NOT BETWEEN 1 AND");
    }
}
