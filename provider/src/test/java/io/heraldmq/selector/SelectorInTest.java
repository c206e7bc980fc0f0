package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;

/** 3.8.1.1 identifier [NOT] IN (string-literal, ...). */
class SelectorInTest {

    @Test
    void specExamples() {
        assertEval(T, "Country IN ('UK', 'US', 'France')", "Country", "UK");
        assertEval(F, "Country IN ('UK', 'US', 'France')", "Country", "Peru");
        assertEval(F, "Country NOT IN ('UK', 'US', 'France')", "Country", "UK");
        assertEval(T, "Country NOT IN ('UK', 'US', 'France')", "Country", "Peru");
    }

    @Test
    void singleElementDuplicatesAndQuotes() {
        assertEval(T, "c IN ('x')", "c", "x");
        assertEval(T, "c IN ('x', 'x', 'y')", "c", "y");
        assertEval(T, "c IN ('it''s', '')", "c", "it's");
        assertEval(T, "c IN ('it''s', '')", "c", "");
        assertEval(F, "c IN ('UK')", "c", "uk");
        assertEval(T, "c in('a','b')", "c", "b");
    }

    @Test
    void manyElements() {
        StringBuilder sb = new StringBuilder("c IN (");
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append("v").append(i).append('\'');
        }
        sb.append(')');
        assertEval(T, sb.toString(), "c", "v999");
        assertEval(F, sb.toString(), "c", "v1000");
    }

    @Test
    void nullIdentifierIsUnknown() {
        assertEval(U, "Country IN ('UK', 'US')");
        assertEval(U, "Country NOT IN ('UK', 'US')");
        assertEval(T, "Country IS NULL OR Country NOT IN ('UK')");
    }

    @Test
    void nonStringValueIsUnknown() {
        // IN is defined for string identifiers: for another type neither IN nor NOT IN selects the message
        assertEval(U, "c IN ('1', '2')", "c", 1);
        assertEval(U, "c NOT IN ('1', '2')", "c", 1);
        assertEval(U, "c IN ('true')", "c", true);
    }

    @Test
    void onlyStringLiteralsAndAnIdentifierAreAllowed() {
        assertInvalid("a IN (1, 2)");
        assertInvalid("a IN ('1', 2)");
        assertInvalid("a IN (b)");
        assertInvalid("a IN (TRUE)");
        assertInvalid("a IN (NULL)");
        assertInvalid("a IN ()");
        assertInvalid("a IN ('x',)");
        assertInvalid("a IN ('x' 'y')");
        assertInvalid("a IN 'x'");
        assertInvalid("a IN ('x'");
        assertInvalid("'x' IN ('x')");
        assertInvalid("a + 1 IN ('x')");
        assertInvalid("a NOT IN");
    }
}
