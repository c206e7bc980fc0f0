package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;

/** 3.8.1.1 Literals: string, exact numeric, approximate numeric and boolean. */
class SelectorLiteralTest {

    @Test
    void stringLiteralWithDoubledQuote() {
        assertEval(T, "s = 'literal''s'", "s", "literal's");
        assertEval(T, "s = 'literal'", "s", "literal");
        assertEval(T, "s = ''", "s", "");
        assertEval(T, "s = ''''", "s", "'");
        assertEval(F, "s = 'literal'", "s", "Literal");
    }

    @Test
    void stringLiteralIsUnicodeAndHasNoBackslashEscapes() {
        assertEval(T, "s = 'caf\u00e9 \ud83d\ude00'", "s", "caf\u00e9 \ud83d\ude00");
        assertEval(T, "s = 'a\\nb'", "s", "a\\nb");
        assertEval(T, "s = 'a AND b OR ''c'''", "s", "a AND b OR 'c'");
    }

    @ParameterizedTest
    @CsvSource({
            "57, 57", "-957, -957", "+62, 62", "0, 0", "1_000, 1000", "12L, 12", "12l, 12",
            "0x1F, 31", "0X1f, 31", "0xFF_FFL, 65535", "017, 15", "0_17, 15", "00, 0", "0b101, 5", "0B1_1, 3",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808",
            "0x7fffffffffffffffL, 9223372036854775807",
            "0xFFFFFFFFFFFFFFFFL, -1",
            "0xFFFFFFFF, 4294967295"
    })
    void exactNumericLiteralsUseJavaIntegerSyntaxInTheRangeOfLong(String literal, long value) {
        assertEval(T, "n = " + literal, "n", value);
        assertEval(T, literal + " = n", "n", value);
    }

    @ParameterizedTest
    @CsvSource({
            "7E3, 7000", "-57.9E2, -5790", "7., 7", "-95.7, -95.7", "+6.2, 6.2", ".5, 0.5", "7.e1, 70",
            "1e-3, 0.001", "1E+3, 1000", "2d, 2", "2.5D, 2.5", "1_0.2_5, 10.25", "0x1p3, 8", "0x1.8P1, 3",
            "1.7976931348623157E308, 1.7976931348623157E308", "4.9E-324, 4.9E-324"
    })
    void approximateNumericLiteralsUseJavaFloatingPointSyntax(String literal, double value) {
        assertEval(T, "n = " + literal, "n", value);
    }

    @Test
    void floatSuffixGivesAFloatLiteral() {
        // 1.1f is a float; a double property 1.1 is not equal to it after promotion, a float property is
        assertEval(T, "n = 1.1f", "n", 1.1f);
        assertEval(F, "n = 1.1f", "n", 1.1d);
        assertEval(T, "n = 1.1", "n", 1.1d);
    }

    @Test
    void exactAndApproximateLiteralsCompare() {
        assertEval(T, "7E3 = 7000");
        assertEval(T, "7. = 7");
        assertEval(T, "7 < 7.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUE", "true", "True", "tRuE"})
    void booleanLiteralTrueIsCaseInsensitive(String literal) {
        assertEval(T, literal);
        assertEval(T, "b = " + literal, "b", true);
        assertEval(F, "b = " + literal, "b", false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FALSE", "false", "False"})
    void booleanLiteralFalseIsCaseInsensitive(String literal) {
        assertEval(F, literal);
        assertEval(T, "b = " + literal, "b", false);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "n = 9223372036854775808", "n = 99999999999999999999", "n = 0x1_0000_0000_0000_0000",
            "n = 1e400", "n = 1e39f", "n = 09", "n = 1_", "n = 1__", "n = 0x", "n = 0x_1", "n = 0b",
            "n = 0b2", "n = 1.2.3", "n = 12abc", "n = 5L5", "n = 1e", "n = 1e+", "n = 1.5L", "n = 0x1.8",
            "n = 1._5", "n = 1_.5", "n = 1_e5"
    })
    void malformedOrOutOfRangeNumbersAreRejected(String selector) {
        assertInvalid(selector);
    }

    @Test
    void octalNotationIsPossibleWithDecimalPointOrExponent() {
        // as in Java: 09 is an invalid octal literal, but 09.5 and 09e0 are decimal floating-point literals
        assertEval(T, "n = 09.5", "n", 9.5);
        assertEval(T, "n = 09e0", "n", 9.0);
        assertEval(T, "n = 08.", "n", 8.0);
    }
}
