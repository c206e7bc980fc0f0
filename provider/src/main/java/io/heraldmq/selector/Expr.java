package io.heraldmq.selector;

import java.util.Set;

/**
 * The immutable expression tree a selector is parsed into. {@link #eval} returns {@link Boolean#TRUE},
 * {@link Boolean#FALSE} or null (unknown) for conditional expressions, and a {@link Number}, {@link String},
 * {@link Boolean} or null (NULL) for values. Evaluating a tree allocates nothing except the boxed results of
 * arithmetic.
 */
abstract class Expr {

    /** Height of this tree: 1 for a leaf. */
    final int depth;

    Expr(Expr... children) {
        int max = 0;
        for (Expr child : children) {
            max = Math.max(max, child.depth);
        }
        this.depth = max + 1;
    }

    /** What an expression is known to yield before any message is seen. */
    enum Type {
        /** A conditional expression (comparison, logical operation, boolean literal). */
        BOOLEAN,
        /** An arithmetic expression or numeric literal. */
        NUMERIC,
        /** A string literal. */
        STRING,
        /** An identifier: any type, or NULL. */
        ANY
    }

    abstract Type type();

    abstract Object eval(SelectorContext context);

    // ---- three-valued logic ----

    /** The truth value of a conditional operand: TRUE, FALSE, or null for unknown (NULL or not a boolean). */
    static Boolean truth(Object v) {
        return v instanceof Boolean b ? (b ? Boolean.TRUE : Boolean.FALSE) : null;
    }

    static Boolean and(Boolean a, Boolean b) {
        if (a == Boolean.FALSE || b == Boolean.FALSE) {
            return Boolean.FALSE;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }

    static Boolean or(Boolean a, Boolean b) {
        if (a == Boolean.TRUE || b == Boolean.TRUE) {
            return Boolean.TRUE;
        }
        return a == null || b == null ? null : Boolean.FALSE;
    }

    static Boolean not(Boolean a) {
        return a == null ? null : (a ? Boolean.FALSE : Boolean.TRUE);
    }

    // ---- nodes ----

    static final class Literal extends Expr {
        final Object value;
        private final Type type;

        Literal(Object value, Type type) {
            this.value = value;
            this.type = type;
        }

        @Override
        Type type() {
            return type;
        }

        @Override
        Object eval(SelectorContext context) {
            return value;
        }

        @Override
        public String toString() {
            return value instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(value).toUpperCase();
        }
    }

    static final class Identifier extends Expr {
        final String name;
        /** A JMS header field that selectors may not reference: always NULL. */
        private final boolean alwaysNull;

        Identifier(String name, boolean alwaysNull) {
            this.name = name;
            this.alwaysNull = alwaysNull;
        }

        @Override
        Type type() {
            return Type.ANY;
        }

        @Override
        Object eval(SelectorContext context) {
            return alwaysNull ? null : context.value(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class Not extends Expr {
        private final Expr operand;

        Not(Expr operand) {
            super(operand);
            this.operand = operand;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            return not(truth(operand.eval(context)));
        }

        @Override
        public String toString() {
            return "(NOT " + operand + ")";
        }
    }

    /** {@code a AND b AND ...}, evaluated left to right, stopping at the first FALSE. */
    static final class And extends Expr {
        private final Expr[] operands;

        And(Expr[] operands) {
            super(operands);
            this.operands = operands;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Boolean result = Boolean.TRUE;
            for (Expr operand : operands) {
                Boolean v = truth(operand.eval(context));
                if (v == Boolean.FALSE) {
                    return Boolean.FALSE;
                }
                result = and(result, v);
            }
            return result;
        }

        @Override
        public String toString() {
            return join(operands, " AND ");
        }
    }

    /** {@code a OR b OR ...}, evaluated left to right, stopping at the first TRUE. */
    static final class Or extends Expr {
        private final Expr[] operands;

        Or(Expr[] operands) {
            super(operands);
            this.operands = operands;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Boolean result = Boolean.FALSE;
            for (Expr operand : operands) {
                Boolean v = truth(operand.eval(context));
                if (v == Boolean.TRUE) {
                    return Boolean.TRUE;
                }
                result = or(result, v);
            }
            return result;
        }

        @Override
        public String toString() {
            return join(operands, " OR ");
        }
    }

    private static String join(Expr[] operands, String separator) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < operands.length; i++) {
            sb.append(i == 0 ? "" : separator).append(operands[i]);
        }
        return sb.append(')').toString();
    }

    enum CompareOp {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        CompareOp(String symbol) {
            this.symbol = symbol;
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }
    }

    /**
     * Compares two values: unknown (null) if either is NULL; FALSE if they are not of like types (numbers are all
     * alike), or if they are strings or booleans and the operator is not = or &lt;&gt;.
     */
    static Boolean compare(CompareOp op, Object l, Object r) {
        if (l == null || r == null) {
            return null;
        }
        int lk = Numbers.kind(l);
        int rk = Numbers.kind(r);
        if (lk != Numbers.NOT_NUMERIC && rk != Numbers.NOT_NUMERIC) {
            return Numbers.compare(op, (Number) l, lk, (Number) r, rk) ? Boolean.TRUE : Boolean.FALSE;
        }
        boolean alike = (l instanceof String && r instanceof String) || (l instanceof Boolean && r instanceof Boolean);
        if (!alike || op.ordering()) {
            return Boolean.FALSE;
        }
        boolean equal = l.equals(r);
        return equal == (op == CompareOp.EQ) ? Boolean.TRUE : Boolean.FALSE;
    }

    static final class Compare extends Expr {
        private final CompareOp op;
        private final Expr left;
        private final Expr right;

        Compare(CompareOp op, Expr left, Expr right) {
            super(left, right);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Object l = left.eval(context);
            if (l == null) {
                return null;
            }
            return compare(op, l, right.eval(context));
        }

        @Override
        public String toString() {
            return "(" + left + " " + op.symbol + " " + right + ")";
        }
    }

    enum ArithOp {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/");

        final String symbol;

        ArithOp(String symbol) {
            this.symbol = symbol;
        }
    }

    static final class Arith extends Expr {
        private final ArithOp op;
        private final Expr left;
        private final Expr right;

        Arith(ArithOp op, Expr left, Expr right) {
            super(left, right);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Type type() {
            return Type.NUMERIC;
        }

        @Override
        Object eval(SelectorContext context) {
            Object l = left.eval(context);
            if (l == null) {
                return null;
            }
            return Numbers.arith(op, l, right.eval(context));
        }

        @Override
        public String toString() {
            return "(" + left + " " + op.symbol + " " + right + ")";
        }
    }

    static final class Negate extends Expr {
        private final Expr operand;

        Negate(Expr operand) {
            super(operand);
            this.operand = operand;
        }

        @Override
        Type type() {
            return Type.NUMERIC;
        }

        @Override
        Object eval(SelectorContext context) {
            return Numbers.negate(operand.eval(context));
        }

        @Override
        public String toString() {
            return "(-" + operand + ")";
        }
    }

    /** Unary plus: the operand if it is a number, else unknown. */
    static final class Plus extends Expr {
        private final Expr operand;

        Plus(Expr operand) {
            super(operand);
            this.operand = operand;
        }

        @Override
        Type type() {
            return Type.NUMERIC;
        }

        @Override
        Object eval(SelectorContext context) {
            Object v = operand.eval(context);
            return Numbers.kind(v) == Numbers.NOT_NUMERIC ? null : v;
        }

        @Override
        public String toString() {
            return "(+" + operand + ")";
        }
    }

    /**
     * {@code e BETWEEN lo AND hi} is {@code e >= lo AND e <= hi}; {@code e NOT BETWEEN lo AND hi} is
     * {@code e < lo OR e > hi} (as the specification defines them, with three-valued logic).
     */
    static final class Between extends Expr {
        private final Expr operand;
        private final Expr low;
        private final Expr high;
        private final boolean negated;

        Between(Expr operand, Expr low, Expr high, boolean negated) {
            super(operand, low, high);
            this.operand = operand;
            this.low = low;
            this.high = high;
            this.negated = negated;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Object v = operand.eval(context);
            if (v == null) {
                return null;
            }
            Object lo = low.eval(context);
            Object hi = high.eval(context);
            if (negated) {
                return or(compare(CompareOp.LT, v, lo), compare(CompareOp.GT, v, hi));
            }
            return and(compare(CompareOp.GE, v, lo), compare(CompareOp.LE, v, hi));
        }

        @Override
        public String toString() {
            return "(" + operand + (negated ? " NOT" : "") + " BETWEEN " + low + " AND " + high + ")";
        }
    }

    /**
     * {@code id IN ('a', 'b')} is {@code id = 'a' OR id = 'b'}; NOT IN is its negation. Unknown when the identifier
     * is NULL or not a string: IN is defined for string values only, so for another type neither IN nor NOT IN
     * holds.
     */
    static final class In extends Expr {
        private final Identifier operand;
        private final Set<String> values;
        private final String text;
        private final boolean negated;

        In(Identifier operand, Set<String> values, String text, boolean negated) {
            super(operand);
            this.operand = operand;
            this.values = values;
            this.text = text;
            this.negated = negated;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Object v = operand.eval(context);
            if (!(v instanceof String s)) {
                return null;
            }
            boolean in = values.contains(s);
            return in != negated ? Boolean.TRUE : Boolean.FALSE;
        }

        @Override
        public String toString() {
            return "(" + operand + (negated ? " NOT" : "") + " IN " + text + ")";
        }
    }

    /**
     * {@code id LIKE pattern}: unknown when the identifier is NULL, FALSE when it is not a string; NOT LIKE is
     * {@code NOT (id LIKE pattern)}.
     */
    static final class Like extends Expr {
        private final Identifier operand;
        private final LikePattern pattern;
        private final boolean negated;

        Like(Identifier operand, LikePattern pattern, boolean negated) {
            super(operand);
            this.operand = operand;
            this.pattern = pattern;
            this.negated = negated;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            Object v = operand.eval(context);
            if (v == null) {
                return null;
            }
            boolean like = v instanceof String s && pattern.matches(s);
            return like != negated ? Boolean.TRUE : Boolean.FALSE;
        }

        @Override
        public String toString() {
            return "(" + operand + (negated ? " NOT" : "") + " LIKE " + pattern + ")";
        }
    }

    static final class IsNull extends Expr {
        private final Identifier operand;
        private final boolean negated;

        IsNull(Identifier operand, boolean negated) {
            super(operand);
            this.operand = operand;
            this.negated = negated;
        }

        @Override
        Type type() {
            return Type.BOOLEAN;
        }

        @Override
        Object eval(SelectorContext context) {
            return (operand.eval(context) == null) != negated ? Boolean.TRUE : Boolean.FALSE;
        }

        @Override
        public String toString() {
            return "(" + operand + (negated ? " IS NOT NULL)" : " IS NULL)");
        }
    }
}
