package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.heraldmq.selector.Sel.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selectors that must raise SelectorParseException (the client's InvalidSelectorException). */
class SelectorInvalidTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // unbalanced parentheses
            "(a = 1", "a = 1)", "((a = 1)", "(a = 1))", "()", "(", ")", "a = (1 + 2",
            // dangling operators and missing operands
            "NOT", "a =", "= 1", "a = 1 AND", "AND a = 1", "a = 1 OR", "OR", "a = 1 AND OR b = 2", "a + = 1",
            "a = 1 +", "a * = 1", "a <> ", "NOT NOT", "a = 1 NOT", "a NOT = 1", "a NOT b",
            // two operands in a row, chained comparisons
            "a b", "a = 1 b = 2", "a = 1 2", "'x' 'y'", "a = b = c", "1 < a < 3", "a = 1 IS NULL", "a LIKE 'x' = TRUE",
            // LIKE / IN / IS operands
            "a LIKE 5", "a IN (1,2)", "a IS 5", "a LIKE 'x' ESCAPE '!!'", "a LIKE 'x' ESCAPE ''",
            // unterminated string, bad characters
            "a = 'abc", "a = '", "a = 'it''s", "a = \"x\"", "a != 1", "a == 1", "a = 1;", "a = #1", "a.b = 1",
            "a = @x", "a ? 1", "a & b", "a | b", "a\u000b= 1", "a\u00a0= 1",
            // top level, and operands of NOT/AND/OR, must be conditional expressions
            "5", "a + 1", "-a", "'abc'", "1.5", "(5)", "NOT 5", "NOT 'x'", "a AND 1", "1 OR a", "'x' AND TRUE",
            "a + 1 AND b", "a = 1 AND 2", "NOT (a + 1)",
            // arithmetic on strings or conditional expressions
            "'a' + 1 = 2", "a + 'b' = 2", "-'a' = 1", "+'a' = 1", "TRUE + 1 = 2", "(a = 1) * 2 = 2", "-TRUE",
            "-(a = 1) = 1",
            // ordering comparisons of string or boolean operands
            "a < 'x'", "'x' >= a", "TRUE > FALSE", "a <= TRUE", "(a = 1) < 2", "'a' < 'b'",
            // = and <> between operands of known, unlike types
            "TRUE = 0", "FALSE <> 1", "'1' = 1", "TRUE <> 'TRUE'", "(a = 1) = 1", "1 + 2 = 'x'",
            // NULL outside IS [NOT] NULL
            "a = NULL", "NULL = a", "a IS NULL AND NULL", "a + NULL = 1"
    })
    void invalid(String selector) {
        assertInvalid(selector);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a =            | 3  | expected an expression but found end of selector",
            "(a = 1         | 6  | expected ')' but found end of selector",
            "a = 1)         | 5  | expected end of selector but found ')'",
            "a = 'abc       | 4  | unterminated string literal",
            "NOT            | 3  | expected an expression but found end of selector",
            "a LIKE 5       | 7  | expected a string literal pattern but found number 5",
            "a IN (1,2)     | 6  | expected a string literal but found number 1",
            "a IS 5         | 5  | expected NULL or NOT NULL but found number 5",
            "\"a + 1\"      | 0  | expected a conditional expression for the selector but found an arithmetic expression",
            "5              | 0  | expected a conditional expression for the selector but found an arithmetic expression",
            "a = 1 AND 'x'  | 10 | expected a conditional expression for the right operand of AND but found a string",
            "a < 'x'        | 4  | operator < cannot compare a string: strings and booleans can only be compared with = and <>",
            "a = b = c      | 6  | comparisons do not chain: use parentheses, found '=' after a comparison",
            "a != 1         | 2  | unexpected '!=': the not-equal operator is <>",
            "a NOT b        | 6  | expected BETWEEN, IN or LIKE after NOT but found identifier b",
            "a LIKE 'x!' ESCAPE '!' | 7 | the LIKE pattern ends with its escape character",
            "a LIKE 'x' ESCAPE '!!' | 18 | the ESCAPE character must be a single-character string literal but found '!!'",
            "a = NULL       | 4  | NULL can only be used in IS NULL and IS NOT NULL",
            "a = 99999999999999999999 | 4 | integer literal 99999999999999999999 is out of the range of a Java long",
            "x IN ('a') AND NOT | 18 | expected an expression but found end of selector"
    })
    void errorNamesThePositionAndWhatWasExpected(String selector, int position, String reason) {
        SelectorParseException e = assertInvalid(selector);
        assertEquals(position, e.position(), e::getMessage);
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains("position " + position), e::getMessage);
        assertTrue(e.getMessage().contains(selector), e::getMessage);
    }

    @Test
    void deeplyNestedParenthesesParse() throws SelectorParseException {
        String s = "(".repeat(100) + "a = 1" + ")".repeat(100);
        assertTrue(Selector.parse(s).matches(Sel.msg("a", 1)));
        String n = "NOT ".repeat(100) + "a = 1";
        assertTrue(Selector.parse(n).matches(Sel.msg("a", 1)));
    }

    @Test
    void absurdNestingIsRejectedInsteadOfOverflowingTheStack() {
        assertInvalid("(".repeat(100_000) + "a = 1" + ")".repeat(100_000));
        assertInvalid("NOT ".repeat(100_000) + "a = 1");
        assertInvalid("a = " + "-".repeat(100_000) + "1");
        assertInvalid("a = 1" + " * 1".repeat(100_000));
        assertInvalid("a = 1" + " + 1".repeat(100_000));
    }

    @Test
    void longAndOrChainsAreFlatAndHaveNoDepthLimit() throws SelectorParseException {
        StringBuilder or = new StringBuilder("a = 0");
        for (int i = 1; i <= 50_000; i++) {
            or.append(" OR a = ").append(i);
        }
        assertTrue(Selector.parse(or.toString()).matches(Sel.msg("a", 50_000)));
        assertTrue(Selector.parse("a = 1" + " AND b = 2".repeat(50_000)).matches(Sel.msg("a", 1, "b", 2)));
        assertTrue(Selector.parse("a = 0" + " + 0".repeat(900) + " AND TRUE").matches(Sel.msg("a", 0)));
    }
}
