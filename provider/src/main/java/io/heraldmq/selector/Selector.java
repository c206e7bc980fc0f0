package io.heraldmq.selector;

/**
 * A parsed Jakarta Messaging message selector (Jakarta Messaging 3.1, section 3.8.1). Parse once with
 * {@link #parse}; {@link #matches} may then be called any number of times from any number of threads.
 * <p>
 * Semantics, as the specification defines them:
 * <ul>
 * <li>identifiers that the message does not have are NULL; comparison or arithmetic with NULL is unknown, and
 * NOT/AND/OR use SQL three-valued logic; a selector matches only a message for which it is TRUE;</li>
 * <li>only like types compare (numbers of any type compare with each other after Java binary numeric promotion);
 * comparing unlike types is FALSE; strings and booleans compare only with = and &lt;&gt; (at run time an ordering
 * comparison of two strings or two booleans is FALSE);</li>
 * <li>arithmetic on a value that is not a number is unknown, as are a long overflow and an integer division by
 * zero;</li>
 * <li>{@code a BETWEEN b AND c} is {@code a >= b AND a <= c} and {@code a NOT BETWEEN b AND c} is
 * {@code a < b OR a > c}; {@code id [NOT] IN (...)} and {@code id [NOT] LIKE ...} are unknown when {@code id} is
 * NULL; a value that is not a string is in no list and like no pattern;</li>
 * <li>the header fields a selector may reference are JMSDeliveryMode, JMSPriority, JMSMessageID, JMSTimestamp,
 * JMSCorrelationID and JMSType, and (as in Artemis and Classic) JMSExpiration; JMSDestination, JMSReplyTo,
 * JMSRedelivered and JMSDeliveryTime are always NULL; every other identifier is looked up as a property.</li>
 * </ul>
 */
public final class Selector {

    /** The selector of a consumer that has none: matches every message. Its {@link #text()} is "". */
    public static final Selector ALWAYS = new Selector("", null);

    private final String text;
    /** null for {@link #ALWAYS}. */
    private final Expr root;

    private Selector(String text, Expr root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses a message selector.
     *
     * @param text the selector; null, empty or only whitespace means no selector
     * @return the selector, or {@link #ALWAYS} if there is none
     * @throws SelectorParseException if the text is not a valid selector
     */
    public static Selector parse(String text) throws SelectorParseException {
        if (text == null || isBlank(text)) {
            return ALWAYS;
        }
        return new Selector(text, Parser.parse(text));
    }

    private static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Lexer.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True only when the selector evaluates to TRUE for the message (not FALSE, not unknown). */
    public boolean matches(SelectorContext message) {
        return root == null || evaluate(message) == Boolean.TRUE;
    }

    /** The three-valued result: TRUE, FALSE or null for unknown. */
    Boolean evaluate(SelectorContext message) {
        return root == null ? Boolean.TRUE : Expr.truth(root.eval(message));
    }

    /** The selector text as given to {@link #parse}, or "" for {@link #ALWAYS}. */
    public String text() {
        return text;
    }

    /** The parsed expression, fully parenthesised (for diagnostics). */
    String tree() {
        return root == null ? "TRUE" : root.toString();
    }

    @Override
    public String toString() {
        return root == null ? "Selector[ALWAYS]" : "Selector[" + text + "]";
    }
}
