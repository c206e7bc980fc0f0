package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.eval;
import static io.heraldmq.selector.Sel.msg;
import static io.heraldmq.selector.Sel.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 3.8.1.2 Null values: three-valued logic, tables 3-4 (AND), 3-5 (OR) and 3-6 (NOT). */
class SelectorLogicTest {

    /** A message where t is TRUE, f is FALSE and u is unknown (missing). */
    private static final SelectorContext M = msg("t", true, "f", false);

    private static Boolean value(String v) {
        return switch (v) {
            case "T" -> T;
            case "F" -> F;
            default -> U;
        };
    }

    /** A conditional expression with each of the three values: a boolean property, a comparison, a literal. */
    private static List<String> operands(String v) {
        List<String> forms = new ArrayList<>();
        switch (v) {
            case "T" -> forms.addAll(List.of("t", "(n = 1)", "TRUE"));
            case "F" -> forms.addAll(List.of("f", "(n = 2)", "FALSE"));
            default -> forms.addAll(List.of("u", "(missing = 1)", "(n = missing)"));
        }
        return forms;
    }

    private static final SelectorContext M2 = msg("t", true, "f", false, "n", 1);

    @ParameterizedTest(name = "{0} AND {1} = {2}")
    @CsvSource({
            "T, T, T", "T, F, F", "T, U, U",
            "F, T, F", "F, F, F", "F, U, F",
            "U, T, U", "U, F, F", "U, U, U"
    })
    void andTruthTable(String a, String b, String expected) {
        for (String x : operands(a)) {
            for (String y : operands(b)) {
                assertEval(value(expected), x + " AND " + y, M2);
            }
        }
    }

    @ParameterizedTest(name = "{0} OR {1} = {2}")
    @CsvSource({
            "T, T, T", "T, F, T", "T, U, T",
            "F, T, T", "F, F, F", "F, U, U",
            "U, T, T", "U, F, U", "U, U, U"
    })
    void orTruthTable(String a, String b, String expected) {
        for (String x : operands(a)) {
            for (String y : operands(b)) {
                assertEval(value(expected), x + " OR " + y, M2);
            }
        }
    }

    @ParameterizedTest(name = "NOT {0} = {1}")
    @CsvSource({"T, F", "F, T", "U, U"})
    void notTruthTable(String a, String expected) {
        for (String x : operands(a)) {
            assertEval(value(expected), "NOT " + x, M2);
            assertEval(value(a), "NOT NOT " + x, M2);
        }
    }

    @Test
    void onlyTrueMatches() {
        assertTrue(parse("t").matches(M));
        assertFalse(parse("f").matches(M));
        assertFalse(parse("u").matches(M));
        assertFalse(parse("NOT u").matches(M));
        assertFalse(parse("u OR f").matches(M));
        assertTrue(parse("u OR t").matches(M));
        assertTrue(parse("u IS NULL").matches(M));
    }

    @Test
    void notOfAComparisonWithAMissingPropertyDoesNotMatch() {
        // a classic pitfall: NOT (a = 1) is unknown, not TRUE, when a is missing
        assertEval(U, "NOT (a = 1)");
        assertEval(U, "a <> 1");
        assertEval(T, "a IS NULL OR a <> 1");
    }

    @Test
    void andAndOrShortCircuitWhenTheResultIsKnown() {
        List<String> asked = new ArrayList<>();
        SelectorContext m = id -> {
            asked.add(id);
            return id.equals("yes");
        };
        assertEquals(F, parse("no AND yes").evaluate(m));
        assertEquals(List.of("no"), asked);
        asked.clear();
        assertEquals(T, parse("yes OR no").evaluate(m));
        assertEquals(List.of("yes"), asked);
        asked.clear();
        assertEquals(F, parse("missing = 1 AND no").evaluate(id -> {
            asked.add(id);
            return id.equals("no") ? Boolean.FALSE : null;
        }));
        assertEquals(List.of("missing", "no"), asked);
    }

    @Test
    void nonBooleanValuesInLogicalOperationsAreUnknown() {
        assertEval(U, "s AND TRUE", "s", "true");
        assertEval(U, "n OR FALSE", "n", 1);
        assertEval(T, "n OR TRUE", "n", 1);
        assertEval(F, "s AND FALSE", "s", "x");
        assertEval(U, "NOT s", "s", "x");
    }

    @Test
    void booleanLiteralsAlone() {
        assertEquals(T, eval("TRUE", M));
        assertEquals(F, eval("FALSE", M));
        assertEquals(T, eval("(TRUE)", M));
        assertEquals(T, eval("NOT FALSE", M));
    }
}
