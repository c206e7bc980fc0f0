package io.heraldmq.selector;

/**
 * A message selector is not valid: it does not parse, or it is not a conditional expression, or it uses an operator
 * with operands it can never accept. The client turns this into {@code jakarta.jms.InvalidSelectorException}.
 */
public final class SelectorParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String reason;

    SelectorParseException(String selector, int position, String reason) {
        super("Invalid message selector at position " + position + ": " + reason + " in \"" + selector + "\"");
        this.position = position;
        this.reason = reason;
    }

    /** Zero-based index of the character in the selector text where the problem was found. */
    public int position() {
        return position;
    }

    /** What was wrong, without the position and the selector text (for example "expected ')' but found end of selector"). */
    public String reason() {
        return reason;
    }
}
