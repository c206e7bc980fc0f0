package io.heraldmq.selector;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: a map-backed context and three-valued assertions. */
final class Sel {
    static final Boolean T = Boolean.TRUE;
    static final Boolean F = Boolean.FALSE;
    static final Boolean U = null;

    private Sel() {
    }

    /** A message with the given identifier/value pairs. */
    static SelectorContext msg(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values::get;
    }

    static Selector parse(String selector) {
        try {
            return Selector.parse(selector);
        } catch (SelectorParseException e) {
            return fail("did not parse: " + selector, e);
        }
    }

    /** The three-valued result of the selector for the message. */
    static Boolean eval(String selector, SelectorContext message) {
        Selector s = parse(selector);
        Boolean result = s.evaluate(message);
        assertEquals(result == Boolean.TRUE, s.matches(message), "matches() must agree with evaluate()");
        return result;
    }

    static void assertEval(Boolean expected, String selector, SelectorContext message) {
        assertEquals(expected, eval(selector, message), () -> selector + " (parsed as " + parse(selector).tree() + ")");
    }

    static void assertEval(Boolean expected, String selector, Object... pairs) {
        assertEval(expected, selector, msg(pairs));
    }

    static SelectorParseException assertInvalid(String selector) {
        return assertThrows(SelectorParseException.class, () -> Selector.parse(selector), () -> "should not parse: " + selector);
    }
}
