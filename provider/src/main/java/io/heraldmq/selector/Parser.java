package io.heraldmq.selector;

import io.heraldmq.selector.Expr.Type;
import io.heraldmq.selector.Lexer.Kind;
import io.heraldmq.selector.Lexer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hand-written recursive-descent parser for the message selector grammar (Jakarta Messaging 3.1, 3.8.1.1). Lowest
 * precedence first:
 * <pre>
 * selector       := or END                                   (must be a conditional expression)
 * or             := and { OR and }
 * and            := not { AND not }
 * not            := NOT not | comparison
 * comparison     := additive [ ( = | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= ) additive
 *                            | [NOT] BETWEEN additive AND additive
 *                            | [NOT] IN ( string { , string } )          (left side an identifier)
 *                            | [NOT] LIKE string [ESCAPE string]         (left side an identifier)
 *                            | IS [NOT] NULL ]                           (left side an identifier)
 * additive       := multiplicative { ( + | - ) multiplicative }
 * multiplicative := unary { ( * | / ) unary }
 * unary          := ( + | - ) unary | primary
 * primary        := string | exact | approximate | TRUE | FALSE | identifier | ( or )
 * </pre>
 * Operators of one level associate left to right. Comparisons do not chain ({@code a = b = c} is rejected; write
 * {@code (a = b) = c}). Besides the grammar, the parser rejects what can never be valid whatever the message:
 * a selector, or an operand of NOT/AND/OR, that is not a conditional expression (a literal string or number, or
 * arithmetic); arithmetic, BETWEEN or unary +/- on a string literal or conditional expression; and the ordering
 * operators (&lt; &lt;= &gt; &gt;=) on a string literal or conditional expression, since strings and booleans may
 * only be compared with = and &lt;&gt;; and = or &lt;&gt; between two operands of known, unlike types (such as
 * {@code TRUE = 0}). Identifiers are typed only when a message is seen.
 */
final class Parser {

    /**
     * JMS header fields that selectors may not reference (spec: references are restricted to six headers).
     * JMSExpiration is referenced all the same, as Artemis and Classic allow (see docs/compatibility.md).
     */
    private static final Set<String> UNSELECTABLE_HEADERS =
            Set.of("JMSDestination", "JMSReplyTo", "JMSRedelivered", "JMSDeliveryTime");

    /** Most nested parentheses, NOTs and unary signs: bounds the parser's recursion. */
    static final int MAX_NESTING = 200;
    /**
     * Deepest expression tree: bounds the evaluator's recursion (AND and OR chains are flat, but chains of
     * arithmetic operators such as 1 + 1 + ... nest).
     */
    static final int MAX_DEPTH = 1000;

    private final String text;
    private final List<Token> tokens;
    private int index;
    private int nesting;

    private Parser(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    static Expr parse(String text) throws SelectorParseException {
        Parser p = new Parser(text, Lexer.tokenize(text));
        int start = p.peek().position;
        Expr e = p.or();
        if (p.peek().kind != Kind.END) {
            throw p.error(p.peek(), "expected end of selector but found " + p.peek().describe());
        }
        p.requireConditional(e, start, "the selector");
        if (e.depth > MAX_DEPTH) {
            throw p.error(start, "the selector is nested too deeply (more than " + MAX_DEPTH + " levels of operators)");
        }
        return e;
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(index);
        if (t.kind != Kind.END) {
            index++;
        }
        return t;
    }

    private boolean accept(Kind kind) {
        if (peek().kind == kind) {
            advance();
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, String what) throws SelectorParseException {
        Token t = peek();
        if (t.kind != kind) {
            throw error(t, "expected " + what + " but found " + t.describe());
        }
        return advance();
    }

    private SelectorParseException error(Token at, String reason) {
        return new SelectorParseException(text, at.position, reason);
    }

    private SelectorParseException error(int at, String reason) {
        return new SelectorParseException(text, at, reason);
    }

    private void enter(Token at) throws SelectorParseException {
        if (++nesting > MAX_NESTING) {
            throw error(at, "the selector is nested too deeply (more than " + MAX_NESTING
                    + " levels of parentheses, NOT or unary signs)");
        }
    }

    // ---- static type checks ----

    private static String describe(Type type) {
        return switch (type) {
            case BOOLEAN -> "a conditional expression";
            case NUMERIC -> "an arithmetic expression";
            case STRING -> "a string";
            case ANY -> "an identifier";
        };
    }

    private void requireConditional(Expr e, int at, String where) throws SelectorParseException {
        if (e.type() != Type.BOOLEAN && e.type() != Type.ANY) {
            throw error(at, "expected a conditional expression for " + where + " but found " + describe(e.type()));
        }
    }

    private void requireArithmetic(Expr e, int at, String where) throws SelectorParseException {
        if (e.type() != Type.NUMERIC && e.type() != Type.ANY) {
            throw error(at, "expected an arithmetic expression for " + where + " but found " + describe(e.type()));
        }
    }

    // ---- grammar ----

    private Expr or() throws SelectorParseException {
        int start = peek().position;
        Expr first = and();
        if (peek().kind != Kind.OR) {
            return first;
        }
        requireConditional(first, start, "the left operand of OR");
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        while (accept(Kind.OR)) {
            int rightStart = peek().position;
            Expr right = and();
            requireConditional(right, rightStart, "the right operand of OR");
            operands.add(right);
        }
        return new Expr.Or(operands.toArray(new Expr[0]));
    }

    private Expr and() throws SelectorParseException {
        int start = peek().position;
        Expr first = not();
        if (peek().kind != Kind.AND) {
            return first;
        }
        requireConditional(first, start, "the left operand of AND");
        List<Expr> operands = new ArrayList<>();
        operands.add(first);
        while (accept(Kind.AND)) {
            int rightStart = peek().position;
            Expr right = not();
            requireConditional(right, rightStart, "the right operand of AND");
            operands.add(right);
        }
        return new Expr.And(operands.toArray(new Expr[0]));
    }

    private Expr not() throws SelectorParseException {
        if (peek().kind == Kind.NOT) {
            enter(advance());
            int start = peek().position;
            Expr operand = not();
            requireConditional(operand, start, "the operand of NOT");
            nesting--;
            return new Expr.Not(operand);
        }
        return comparison();
    }

    private Expr comparison() throws SelectorParseException {
        int start = peek().position;
        Expr left = additive();
        Token t = peek();
        Expr result;
        switch (t.kind) {
            case EQ, NE, LT, LE, GT, GE -> {
                advance();
                Expr.CompareOp op = switch (t.kind) {
                    case EQ -> Expr.CompareOp.EQ;
                    case NE -> Expr.CompareOp.NE;
                    case LT -> Expr.CompareOp.LT;
                    case LE -> Expr.CompareOp.LE;
                    case GT -> Expr.CompareOp.GT;
                    default -> Expr.CompareOp.GE;
                };
                int rightStart = peek().position;
                Expr right = additive();
                if (op.ordering()) {
                    checkOrderable(left, start, op);
                    checkOrderable(right, rightStart, op);
                } else {
                    checkAlike(left, right, start, op);
                }
                result = new Expr.Compare(op, left, right);
            }
            case BETWEEN -> {
                advance();
                result = between(left, start, false);
            }
            case IN -> {
                advance();
                result = in(left, start, false);
            }
            case LIKE -> {
                advance();
                result = like(left, start, false);
            }
            case IS -> {
                advance();
                boolean negated = accept(Kind.NOT);
                expect(Kind.NULL, negated ? "NULL" : "NULL or NOT NULL");
                result = new Expr.IsNull(identifierOperand(left, start, negated ? "IS NOT NULL" : "IS NULL"), negated);
            }
            case NOT -> {
                Token next = peek(1);
                if (next.kind == Kind.BETWEEN) {
                    advance();
                    advance();
                    result = between(left, start, true);
                } else if (next.kind == Kind.IN) {
                    advance();
                    advance();
                    result = in(left, start, true);
                } else if (next.kind == Kind.LIKE) {
                    advance();
                    advance();
                    result = like(left, start, true);
                } else {
                    advance();
                    throw error(next, "expected BETWEEN, IN or LIKE after NOT but found " + next.describe());
                }
            }
            default -> {
                return left;
            }
        }
        Token after = peek();
        switch (after.kind) {
            case EQ, NE, LT, LE, GT, GE, BETWEEN, IN, LIKE, IS -> throw error(after,
                    "comparisons do not chain: use parentheses, found " + after.describe() + " after a comparison");
            default -> {
                return result;
            }
        }
    }

    private void checkOrderable(Expr e, int at, Expr.CompareOp op) throws SelectorParseException {
        if (e.type() == Type.STRING || e.type() == Type.BOOLEAN) {
            throw error(at, "operator " + op.symbol + " cannot compare " + describe(e.type())
                    + ": strings and booleans can only be compared with = and <>");
        }
    }

    /** Only like types can be compared: when neither side is an identifier, the types are known now. */
    private void checkAlike(Expr left, Expr right, int at, Expr.CompareOp op) throws SelectorParseException {
        if (left.type() != Type.ANY && right.type() != Type.ANY && left.type() != right.type()) {
            throw error(at, "operator " + op.symbol + " cannot compare " + describe(left.type()) + " with "
                    + describe(right.type()) + ": only like types can be compared");
        }
    }

    private Expr.Identifier identifierOperand(Expr left, int at, String operator) throws SelectorParseException {
        if (left instanceof Expr.Identifier id) {
            return id;
        }
        throw error(at, "expected an identifier on the left of " + operator + " but found " + describe(left.type()));
    }

    private Expr between(Expr operand, int start, boolean negated) throws SelectorParseException {
        String name = negated ? "NOT BETWEEN" : "BETWEEN";
        requireArithmetic(operand, start, "the operand of " + name);
        int lowStart = peek().position;
        Expr low = additive();
        requireArithmetic(low, lowStart, "the lower bound of " + name);
        expect(Kind.AND, "AND");
        int highStart = peek().position;
        Expr high = additive();
        requireArithmetic(high, highStart, "the upper bound of " + name);
        return new Expr.Between(operand, low, high, negated);
    }

    private Expr in(Expr left, int start, boolean negated) throws SelectorParseException {
        Expr.Identifier id = identifierOperand(left, start, negated ? "NOT IN" : "IN");
        Token open = expect(Kind.LPAREN, "'('");
        List<String> values = new ArrayList<>();
        do {
            Token t = expect(Kind.STRING, "a string literal");
            values.add((String) t.value);
        } while (accept(Kind.COMMA));
        Token close = expect(Kind.RPAREN, "',' or ')'");
        String listText = text.substring(open.position, close.position + 1);
        return new Expr.In(id, Set.copyOf(values), listText, negated);
    }

    private Expr like(Expr left, int start, boolean negated) throws SelectorParseException {
        Expr.Identifier id = identifierOperand(left, start, negated ? "NOT LIKE" : "LIKE");
        Token pattern = expect(Kind.STRING, "a string literal pattern");
        int escape = -1;
        int end = pattern.position + pattern.text.length();
        if (accept(Kind.ESCAPE)) {
            Token e = expect(Kind.STRING, "a string literal escape character");
            String s = (String) e.value;
            if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw error(e, "the ESCAPE character must be a single-character string literal but found " + e.text);
            }
            escape = s.codePointAt(0);
            end = e.position + e.text.length();
        }
        try {
            LikePattern compiled = LikePattern.compile((String) pattern.value, escape, text.substring(pattern.position, end));
            return new Expr.Like(id, compiled, negated);
        } catch (IllegalArgumentException invalid) {
            throw error(pattern, invalid.getMessage());
        }
    }

    private Expr additive() throws SelectorParseException {
        int start = peek().position;
        Expr left = multiplicative();
        while (peek().kind == Kind.PLUS || peek().kind == Kind.MINUS) {
            Token op = advance();
            requireArithmetic(left, start, "the left operand of " + op.text);
            int rightStart = peek().position;
            Expr right = multiplicative();
            requireArithmetic(right, rightStart, "the right operand of " + op.text);
            left = new Expr.Arith(op.kind == Kind.PLUS ? Expr.ArithOp.ADD : Expr.ArithOp.SUBTRACT, left, right);
        }
        return left;
    }

    private Expr multiplicative() throws SelectorParseException {
        int start = peek().position;
        Expr left = unary();
        while (peek().kind == Kind.STAR || peek().kind == Kind.SLASH) {
            Token op = advance();
            requireArithmetic(left, start, "the left operand of " + op.text);
            int rightStart = peek().position;
            Expr right = unary();
            requireArithmetic(right, rightStart, "the right operand of " + op.text);
            left = new Expr.Arith(op.kind == Kind.STAR ? Expr.ArithOp.MULTIPLY : Expr.ArithOp.DIVIDE, left, right);
        }
        return left;
    }

    private Expr unary() throws SelectorParseException {
        Token t = peek();
        if (t.kind == Kind.MINUS) {
            advance();
            enter(t);
            Token next = peek();
            if (next.kind == Kind.EXACT && next.longMinMagnitude) {
                advance();
                nesting--;
                return new Expr.Literal(Long.MIN_VALUE, Type.NUMERIC);
            }
            int start = next.position;
            Expr operand = unary();
            requireArithmetic(operand, start, "the operand of unary -");
            nesting--;
            if (operand instanceof Expr.Literal lit) {
                Object v = Numbers.negate(lit.value);
                if (v != null) {
                    return new Expr.Literal(v, Type.NUMERIC);
                }
            }
            return new Expr.Negate(operand);
        }
        if (t.kind == Kind.PLUS) {
            enter(advance());
            int start = peek().position;
            Expr operand = unary();
            nesting--;
            requireArithmetic(operand, start, "the operand of unary +");
            return operand instanceof Expr.Literal ? operand : new Expr.Plus(operand);
        }
        return primary();
    }

    private Expr primary() throws SelectorParseException {
        Token t = peek();
        switch (t.kind) {
            case STRING:
                advance();
                return new Expr.Literal(t.value, Type.STRING);
            case EXACT:
                if (t.longMinMagnitude) {
                    throw error(t, "integer literal " + t.text + " is out of the range of a Java long");
                }
                advance();
                return new Expr.Literal(t.value, Type.NUMERIC);
            case APPROXIMATE:
                advance();
                return new Expr.Literal(t.value, Type.NUMERIC);
            case TRUE:
                advance();
                return new Expr.Literal(Boolean.TRUE, Type.BOOLEAN);
            case FALSE:
                advance();
                return new Expr.Literal(Boolean.FALSE, Type.BOOLEAN);
            case IDENTIFIER: {
                advance();
                String name = (String) t.value;
                return new Expr.Identifier(name, UNSELECTABLE_HEADERS.contains(name));
            }
            case LPAREN: {
                enter(advance());
                Expr inner = or();
                expect(Kind.RPAREN, "')'");
                nesting--;
                return inner;
            }
            case NULL:
                throw error(t, "NULL can only be used in IS NULL and IS NOT NULL");
            case END:
                throw error(t, "expected an expression but found end of selector");
            default:
                throw error(t, "expected an expression but found " + t.describe());
        }
    }
}
