package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;

/** 3.8.1.1 identifier IS [NOT] NULL, and 3.8.1.2: IS NULL turns unknown into TRUE/FALSE. */
class SelectorIsNullTest {

    @Test
    void isNullAndIsNotNull() {
        assertEval(T, "prop_name IS NULL");
        assertEval(F, "prop_name IS NOT NULL");
        assertEval(F, "prop_name IS NULL", "prop_name", "x");
        assertEval(T, "prop_name IS NOT NULL", "prop_name", "x");
        assertEval(T, "prop_name IS NOT NULL", "prop_name", false);
        assertEval(T, "prop_name IS NOT NULL", "prop_name", 0);
        assertEval(T, "prop_name IS NOT NULL", "prop_name", "");
        assertEval(T, "p is null", "q", 1);
        assertEval(T, "p Is Not Null", "p", 1);
    }

    @Test
    void notOfIsNull() {
        assertEval(F, "NOT p IS NULL");
        assertEval(T, "NOT p IS NOT NULL");
        assertEval(T, "NOT (p IS NULL)", "p", 1);
    }

    @Test
    void propertyExplicitlyNullIsNull() {
        assertEval(T, "p IS NULL", "p", null);
    }

    @Test
    void invalidIsNull() {
        assertInvalid("p IS 5");
        assertInvalid("p IS");
        assertInvalid("p IS NOT");
        assertInvalid("p IS NOT 5");
        assertInvalid("p IS TRUE");
        assertInvalid("p IS NULL NULL");
        assertInvalid("p NOT NULL");
        assertInvalid("p IS NULL IS NULL");
        assertInvalid("5 IS NULL");
        assertInvalid("'x' IS NULL");
        assertInvalid("p + 1 IS NULL");
        assertInvalid("p = NULL");
        assertInvalid("p <> NULL");
        assertInvalid("NULL IS NULL");
        assertInvalid("NULL");
    }
}
