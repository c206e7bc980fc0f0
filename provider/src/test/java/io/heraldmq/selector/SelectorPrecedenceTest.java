package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.msg;
import static io.heraldmq.selector.Sel.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Precedence, highest first: unary + -, * /, binary + -, comparisons (= &lt; ... BETWEEN IN LIKE IS), NOT, AND, OR;
 * left to right within a level; parentheses change the order.
 */
class SelectorPrecedenceTest {

    @ParameterizedTest(name = "{0}  ->  {1}")
    @CsvSource(delimiter = '|', value = {
            "a OR b AND c                 | (a OR (b AND c))",
            "a AND b OR c                 | ((a AND b) OR c)",
            "a OR b AND c OR d AND e AND f | (a OR (b AND c) OR (d AND e AND f))",
            "NOT a AND b                  | ((NOT a) AND b)",
            "NOT a OR b                   | ((NOT a) OR b)",
            "NOT a = 1                    | (NOT (a = 1))",
            "NOT NOT a                    | (NOT (NOT a))",
            "a OR b OR c                  | (a OR b OR c)",
            "a AND b AND c                | (a AND b AND c)",
            "a + b * c = 7                | ((a + (b * c)) = 7)",
            "a * b + c = 7                | (((a * b) + c) = 7)",
            "a - b - c = 0                | (((a - b) - c) = 0)",
            "a / b / c = 1                | (((a / b) / c) = 1)",
            "a / b * c = 1                | (((a / b) * c) = 1)",
            "-a * b = 1                   | (((-a) * b) = 1)",
            "- -a = 1                     | ((-(-a)) = 1)",
            "a - -1 = 1                   | ((a - -1) = 1)",
            "(a + b) * c = 1              | (((a + b) * c) = 1)",
            "a + 1 BETWEEN b * 2 AND c - 1 | ((a + 1) BETWEEN (b * 2) AND (c - 1))",
            "a BETWEEN 1 AND 2 AND b      | ((a BETWEEN 1 AND 2) AND b)",
            "a NOT BETWEEN 1 AND 2 OR b   | ((a NOT BETWEEN 1 AND 2) OR b)",
            "NOT a LIKE 'x' AND b IS NULL | ((NOT (a LIKE 'x')) AND (b IS NULL))",
            "a = 1 OR b IN ('x') AND c    | ((a = 1) OR ((b IN ('x')) AND c))",
            "a = (b = c)                  | (a = (b = c))",
            "(a OR b) AND c               | ((a OR b) AND c)"
    })
    void grouping(String selector, String tree) {
        assertEquals(tree, parse(selector.trim()).tree());
    }

    @Test
    void arithmeticBindsTighterThanComparison() {
        assertEval(T, "a + b * c = 7", "a", 1, "b", 2, "c", 3);
        assertEval(T, "(a + b) * c = 9", "a", 1, "b", 2, "c", 3);
        assertEval(T, "10 - 4 - 3 = 3");
        assertEval(T, "24 / 4 / 2 = 3");
        assertEval(T, "-2 * -3 = 6");
        assertEval(T, "-(2 + 3) = -5");
        assertEval(T, "2 - -3 = 5");
        assertEval(T, "+-+-2 = 2");
    }

    @Test
    void notBindsLooserThanComparisonAndTighterThanAnd() {
        SelectorContext m = msg("a", 1, "b", true);
        assertEval(F, "NOT a = 1 AND b", m);
        assertEval(T, "NOT a = 2 AND b", m);
        assertEval(T, "NOT a = 1 OR b", m);
        assertEval(F, "NOT (a = 1 OR b)", m);
    }

    @Test
    void andBindsTighterThanOr() {
        assertEval(T, "TRUE OR TRUE AND FALSE");
        assertEval(F, "(TRUE OR TRUE) AND FALSE");
        assertEval(T, "FALSE AND FALSE OR TRUE");
        assertEval(F, "FALSE AND (FALSE OR TRUE)");
    }

    @Test
    void whitespaceIsSpaceTabFormFeedAndLineTerminators() {
        assertEval(T, " \t\f\r\n a\n=\r\n1\t", "a", 1);
        assertEval(T, "a=1AND(b<>2)", "a", 1, "b", 3);
        assertEval(T, "a<>1", "a", 2);
        assertEval(T, "a<=1", "a", 1);
        assertEval(T, "a>=1", "a", 1);
    }
}
