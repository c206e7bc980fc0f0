package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.msg;

/** 3.8.1.1 Comparison operators =, >, >=, <, <=, <> and the like-types rule. */
class SelectorComparisonTest {

    @ParameterizedTest
    @CsvSource({
            "=, 5, T", "=, 6, F", "<>, 5, F", "<>, 6, T",
            "<, 6, T", "<, 5, F", "<=, 5, T", "<=, 4, F",
            ">, 4, T", ">, 5, F", ">=, 5, T", ">=, 6, F"
    })
    void numericComparisons(String op, String literal, String expected) {
        Boolean result = expected.equals("T");
        assertEval(result, "n " + op + " " + literal, "n", 5);
        assertEval(result, "n " + op + " " + literal, "n", 5L);
        assertEval(result, "n " + op + " " + literal, "n", (byte) 5);
        assertEval(result, "n " + op + " " + literal, "n", (short) 5);
        assertEval(result, "n " + op + " " + literal, "n", 5.0f);
        assertEval(result, "n " + op + " " + literal, "n", 5.0d);
        assertEval(result, "n " + op + " " + literal + ".0", "n", 5);
    }

    @Test
    void numericPromotionBetweenExactAndApproximate() {
        assertEval(T, "i = 2.0", "i", 2);
        assertEval(T, "i < 2.5", "i", 2);
        assertEval(T, "d > 2", "d", 2.5);
        assertEval(T, "i = d", "i", 3, "d", 3.0);
        assertEval(T, "b = l", "b", (byte) 9, "l", 9L);
        assertEval(T, "f = d", "f", 0.5f, "d", 0.5d);
        // Java promotion: the float 0.1f widened to double is not the double 0.1
        assertEval(F, "f = d", "f", 0.1f, "d", 0.1d);
        assertEval(T, "f = 0.1f", "f", 0.1f);
    }

    @Test
    void longsCompareExactlyWithoutGoingThroughDouble() {
        // Long.MAX_VALUE and Long.MAX_VALUE - 1 are the same double; compared as longs they differ
        assertEval(F, "l = 9223372036854775806", "l", Long.MAX_VALUE);
        assertEval(T, "l > 9223372036854775806", "l", Long.MAX_VALUE);
        assertEval(T, "l = 9223372036854775807", "l", Long.MAX_VALUE);
        assertEval(T, "l < -9223372036854775807", "l", Long.MIN_VALUE);
        assertEval(T, "a <> b", "a", 9007199254740993L, "b", 9007199254740992L);
        assertEval(T, "i < l", "i", Integer.MAX_VALUE, "l", (long) Integer.MAX_VALUE + 1);
    }

    @Test
    void nanAndInfinityFollowJava() {
        assertEval(F, "d = d", "d", Double.NaN);
        assertEval(T, "d <> d", "d", Double.NaN);
        assertEval(F, "d < 1", "d", Double.NaN);
        assertEval(T, "d > 1.7976931348623157E308", "d", Double.POSITIVE_INFINITY);
    }

    @Test
    void stringsCompareOnlyWithEqualsAndNotEquals() {
        SelectorContext m = msg("s", "abc", "t", "abd", "u", "abc");
        assertEval(T, "s = 'abc'", m);
        assertEval(F, "s = 'ABC'", m);
        assertEval(F, "s = 'abc '", m);
        assertEval(T, "s <> 'ABC'", m);
        assertEval(T, "s = u", m);
        assertEval(F, "s = t", m);
        assertEval(T, "s <> t", m);
        // ordering of string values is not defined: FALSE, and NOT of it is TRUE
        assertEval(F, "s < t", m);
        assertEval(F, "s >= u", m);
        assertEval(T, "NOT (s < t)", m);
    }

    @Test
    void booleansCompareOnlyWithEqualsAndNotEquals() {
        SelectorContext m = msg("b", true, "c", false);
        assertEval(T, "b = TRUE", m);
        assertEval(F, "b = FALSE", m);
        assertEval(T, "b <> c", m);
        assertEval(T, "c = FALSE", m);
        assertEval(F, "b > c", m);
        assertEval(T, "(b = c) = FALSE", m);
        assertEval(T, "TRUE = TRUE");
        assertEval(T, "TRUE <> FALSE");
    }

    @Test
    void comparingUnlikeTypesIsFalseNotUnknown() {
        // "If the comparison of non-like type values is attempted, the value of the operation is false."
        assertEval(F, "s = 1", "s", "1");
        assertEval(F, "s <> 1", "s", "1");
        assertEval(T, "NOT (s = 1)", "s", "1");
        assertEval(F, "n = '1'", "n", 1);
        assertEval(F, "n <> '1'", "n", 1);
        assertEval(F, "b = 1", "b", true);
        assertEval(F, "b = 'TRUE'", "b", true);
        assertEval(F, "n < m", "n", 1, "m", "2");
        assertEval(F, "n >= b", "n", 1, "b", false);
        assertEval(F, "x = 1", "x", new BigDecimal("1"));
    }

    @Test
    void comparisonWithNullIsUnknown() {
        assertEval(U, "n = 1");
        assertEval(U, "n <> 1");
        assertEval(U, "1 < n");
        assertEval(U, "n = m", "n", 1);
        assertEval(U, "m = n", "n", 1);
        assertEval(U, "s = 'x'");
        assertEval(U, "b = TRUE");
        assertEval(U, "n = s", "s", "x"); // NULL wins over the type mismatch
        assertEval(U, "NOT (n = 1)");
    }
}
