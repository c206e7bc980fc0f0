package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.msg;

/** 3.8.1.1 Arithmetic operators: unary + -, * /, + -, with Java numeric promotion. */
class SelectorArithmeticTest {

    @Test
    void basicOperations() {
        SelectorContext m = msg("a", 7, "b", 2);
        assertEval(T, "a + b = 9", m);
        assertEval(T, "a - b = 5", m);
        assertEval(T, "a * b = 14", m);
        assertEval(T, "a / b = 3", m); // integer division, as in Java
        assertEval(T, "-a = -7", m);
        assertEval(T, "+a = 7", m);
        assertEval(T, "a / 2.0 = 3.5", m);
        assertEval(T, "a * 1.5 = 10.5", m);
        assertEval(T, "(userid + 10000) / (callerid - 10000) < 1.0", "userid", 5, "callerid", 20010); // 10005 / 10010 = 0
    }

    @Test
    void integerArithmeticIsDoneInLongSoIntValuesDoNotOverflow() {
        assertEval(T, "i + i = 4294967294", "i", Integer.MAX_VALUE);
        assertEval(T, "i * i > 0", "i", Integer.MAX_VALUE);
        assertEval(T, "s * s = 1073676289", "s", Short.MAX_VALUE);
        assertEval(T, "b + b = -256", "b", Byte.MIN_VALUE);
    }

    @Test
    void longOverflowIsUnknown() {
        assertEval(U, "l + 1 > 0", "l", Long.MAX_VALUE);
        assertEval(U, "l - 1 < 0", "l", Long.MIN_VALUE);
        assertEval(U, "l * 2 > 0", "l", Long.MAX_VALUE);
        assertEval(U, "-l > 0", "l", Long.MIN_VALUE);
        assertEval(U, "l / -1 > 0", "l", Long.MIN_VALUE);
        assertEval(T, "l + 0 = 9223372036854775807", "l", Long.MAX_VALUE);
        assertEval(T, "-9223372036854775807 - 1 = -9223372036854775808");
    }

    @Test
    void divisionByZero() {
        assertEval(U, "a / 0 = 0", "a", 1);
        assertEval(U, "NOT (a / 0 = 0)", "a", 1);
        assertEval(T, "a / 0.0 > 1.7976931348623157E308", "a", 1); // +Infinity, as in Java
        assertEval(F, "a / 0.0 = a / 0.0", "a", 0); // NaN
    }

    @Test
    void floatArithmeticIsFloatAndDoubleArithmeticIsDouble() {
        // float + float is computed in float, as in Java
        assertEval(T, "f + g = 0.3f", "f", 0.1f, "g", 0.2f);
        assertEval(T, "d + e = 0.30000000000000004", "d", 0.1, "e", 0.2);
        assertEval(T, "f + 1 = 1.5", "f", 0.5f);
        assertEval(T, "l + d = 3.5", "l", 3L, "d", 0.5);
    }

    @Test
    void arithmeticOnNonNumbersIsUnknown() {
        assertEval(U, "s + 1 = 2", "s", "1");
        assertEval(U, "s * 1 = 2", "s", "1");
        assertEval(U, "b + 1 = 2", "b", true);
        assertEval(U, "-s = -1", "s", "1");
        assertEval(U, "+s = 1", "s", "1");
        assertEval(U, "NOT (s + 1 = 2)", "s", "1");
    }

    @Test
    void arithmeticWithNullIsUnknown() {
        assertEval(U, "missing + 1 = 1");
        assertEval(U, "1 + missing = 1");
        assertEval(U, "missing * 0 = 0");
        assertEval(U, "-missing = 0");
    }

    @Test
    void dateArithmeticWithMillisecondLongs() {
        assertEval(T, "JMSTimestamp > 1700000000000 AND JMSTimestamp + 60000 < 1800000000000",
                "JMSTimestamp", 1750000000000L);
    }
}
