package io.heraldmq.selector;

import org.junit.jupiter.api.Test;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples of Jakarta Messaging 3.1 section 3.8.1, verbatim, and the empty selector. */
class SelectorSpecExamplesTest {

    @Test
    void carColorWeight() {
        String selector = "JMSType = 'car' AND color = 'blue' AND weight > 2500";
        assertEval(T, selector, "JMSType", "car", "color", "blue", "weight", 3000);
        assertEval(F, selector, "JMSType", "car", "color", "blue", "weight", 2500);
        assertEval(F, selector, "JMSType", "car", "color", "red", "weight", 3000);
        assertEval(F, selector, "JMSType", "truck", "color", "blue", "weight", 3000);
        assertEval(U, selector, "JMSType", "car", "color", "blue");
        assertEval(F, selector, "color", "blue", "weight", 3000, "JMSType", "car", "weight", "3000");
    }

    @Test
    void numberOfOrdersAsString() {
        assertEval(F, "NumberOfOrders > 1", "NumberOfOrders", "2");
    }

    @Test
    void betweenEquivalences() {
        for (int age = 10; age <= 25; age++) {
            SelectorContext m = msg("age", age);
            assertEquals(Sel.eval("age >= 15 AND age <= 19", m), Sel.eval("age BETWEEN 15 AND 19", m));
            assertEquals(Sel.eval("age < 15 OR age > 19", m), Sel.eval("age NOT BETWEEN 15 AND 19", m));
        }
    }

    @Test
    void inEquivalences() {
        for (String country : new String[] {"UK", "US", "France", "Peru"}) {
            SelectorContext m = msg("Country", country);
            assertEquals(Sel.eval("(Country = 'UK') OR (Country = 'US') OR (Country = 'France')", m),
                    Sel.eval("Country IN ('UK', 'US', 'France')", m));
            assertEquals(Sel.eval("NOT ((Country = 'UK') OR (Country = 'US') OR (Country = 'France'))", m),
                    Sel.eval("Country NOT IN ('UK', 'US', 'France')", m));
        }
    }

    @Test
    void dateAsMillisecondLiteral() {
        assertEval(T, "JMSTimestamp > 1262304000000", "JMSTimestamp", 1700000000000L);
    }

    @Test
    void emptyOrNullSelectorMeansNoSelector() throws SelectorParseException {
        assertSame(Selector.ALWAYS, Selector.parse(null));
        assertSame(Selector.ALWAYS, Selector.parse(""));
        assertSame(Selector.ALWAYS, Selector.parse("   "));
        assertSame(Selector.ALWAYS, Selector.parse(" \t\r\n\f"));
        assertTrue(Selector.ALWAYS.matches(msg()));
        assertTrue(Selector.ALWAYS.matches(id -> {
            throw new AssertionError("no selector looks at no value");
        }));
        assertEquals("", Selector.ALWAYS.text());
    }

    @Test
    void textIsKeptAsGiven() throws SelectorParseException {
        String text = "  color = 'blue'  ";
        assertEquals(text, Selector.parse(text).text());
        assertEquals(text, Selector.parse(text).toString().substring(9, 9 + text.length()));
    }
}
