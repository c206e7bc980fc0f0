package io.heraldmq.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a selector into tokens. Hand-written; see {@link Parser} for the grammar. */
final class Lexer {

    enum Kind {
        IDENTIFIER, STRING, EXACT, APPROXIMATE,
        TRUE, FALSE, NULL, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE,
        LPAREN, RPAREN, COMMA, EQ, NE, LT, LE, GT, GE, PLUS, MINUS, STAR, SLASH,
        END
    }

    static final class Token {
        final Kind kind;
        /** Index of the first character. */
        final int position;
        /** The token's text as written. */
        final String text;
        /** Identifier name, string literal value (unquoted), Long, Float or Double; else null. */
        final Object value;
        /** An exact literal 9223372036854775808 (decimal), only valid right after a unary minus. */
        final boolean longMinMagnitude;

        Token(Kind kind, int position, String text, Object value, boolean longMinMagnitude) {
            this.kind = kind;
            this.position = position;
            this.text = text;
            this.value = value;
            this.longMinMagnitude = longMinMagnitude;
        }

        String describe() {
            return switch (kind) {
                case END -> "end of selector";
                case IDENTIFIER -> "identifier " + text;
                case STRING -> "string literal " + text;
                case EXACT, APPROXIMATE -> "number " + text;
                case TRUE, FALSE, NULL, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE -> text.toUpperCase(Locale.ROOT);
                default -> "'" + text + "'";
            };
        }
    }

    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokenize(String text) throws SelectorParseException {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind != Kind.END);
        return tokens;
    }

    /** Whitespace as defined for Java: space, horizontal tab, form feed and line terminators (CR, LF). */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    private SelectorParseException error(int at, String reason) {
        return new SelectorParseException(text, at, reason);
    }

    private Token next() throws SelectorParseException {
        while (pos < text.length() && isWhitespace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= text.length()) {
            return new Token(Kind.END, start, "", null, false);
        }
        char c = text.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return simple(Kind.LPAREN, start);
            case ')':
                pos++;
                return simple(Kind.RPAREN, start);
            case ',':
                pos++;
                return simple(Kind.COMMA, start);
            case '=':
                pos++;
                return simple(Kind.EQ, start);
            case '+':
                pos++;
                return simple(Kind.PLUS, start);
            case '-':
                pos++;
                return simple(Kind.MINUS, start);
            case '*':
                pos++;
                return simple(Kind.STAR, start);
            case '/':
                pos++;
                return simple(Kind.SLASH, start);
            case '<':
                pos++;
                if (peek() == '>') {
                    pos++;
                    return simple(Kind.NE, start);
                }
                if (peek() == '=') {
                    pos++;
                    return simple(Kind.LE, start);
                }
                return simple(Kind.LT, start);
            case '>':
                pos++;
                if (peek() == '=') {
                    pos++;
                    return simple(Kind.GE, start);
                }
                return simple(Kind.GT, start);
            case '\'':
                return string(start);
            default:
                break;
        }
        if (isDigit(c) || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            return number(start);
        }
        int cp = text.codePointAt(pos);
        if (Character.isJavaIdentifierStart(cp)) {
            return identifier(start);
        }
        if (c == '!' && pos + 1 < text.length() && text.charAt(pos + 1) == '=') {
            throw error(start, "unexpected '!=': the not-equal operator is <>");
        }
        if (c == '"') {
            throw error(start, "unexpected '\"': string literals are enclosed in single quotes");
        }
        throw error(start, "unexpected character '" + new String(Character.toChars(cp)) + "'");
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private Token simple(Kind kind, int start) {
        return new Token(kind, start, text.substring(start, pos), null, false);
    }

    private Token string(int start) throws SelectorParseException {
        StringBuilder value = new StringBuilder();
        pos++; // opening quote
        while (true) {
            if (pos >= text.length()) {
                throw error(start, "unterminated string literal");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                if (pos < text.length() && text.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    break;
                }
            } else {
                value.append(c);
            }
        }
        return new Token(Kind.STRING, start, text.substring(start, pos), value.toString(), false);
    }

    private Token identifier(int start) {
        pos += Character.charCount(text.codePointAt(pos));
        while (pos < text.length()) {
            int cp = text.codePointAt(pos);
            if (!Character.isJavaIdentifierPart(cp)) {
                break;
            }
            pos += Character.charCount(cp);
        }
        String name = text.substring(start, pos);
        Kind keyword = switch (name.toUpperCase(Locale.ROOT)) {
            case "TRUE" -> Kind.TRUE;
            case "FALSE" -> Kind.FALSE;
            case "NULL" -> Kind.NULL;
            case "NOT" -> Kind.NOT;
            case "AND" -> Kind.AND;
            case "OR" -> Kind.OR;
            case "BETWEEN" -> Kind.BETWEEN;
            case "LIKE" -> Kind.LIKE;
            case "IN" -> Kind.IN;
            case "IS" -> Kind.IS;
            case "ESCAPE" -> Kind.ESCAPE;
            default -> Kind.IDENTIFIER;
        };
        return new Token(keyword, start, name, keyword == Kind.IDENTIFIER ? name : null, false);
    }

    // ---- numbers: Java integer and floating-point literal syntax ----

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigit(char c, int radix) {
        return Character.digit(c, radix) >= 0 && c < 128;
    }

    /**
     * Consumes digits of the radix with underscores allowed only between digits. Returns the number of digits, 0 if
     * none.
     */
    private int digits(int radix, int literalStart) throws SelectorParseException {
        int count = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isDigit(c, radix)) {
                count++;
                pos++;
            } else if (c == '_' && count > 0) {
                int p = pos;
                while (p < text.length() && text.charAt(p) == '_') {
                    p++;
                }
                if (p >= text.length() || !isDigit(text.charAt(p), radix)) {
                    throw error(literalStart, "malformed number: '_' must be between digits");
                }
                pos = p;
            } else {
                break;
            }
        }
        return count;
    }

    private Token number(int start) throws SelectorParseException {
        char c = text.charAt(pos);
        if (c == '0' && pos + 1 < text.length() && (text.charAt(pos + 1) == 'x' || text.charAt(pos + 1) == 'X')) {
            return hex(start);
        }
        if (c == '0' && pos + 1 < text.length() && (text.charAt(pos + 1) == 'b' || text.charAt(pos + 1) == 'B')) {
            pos += 2;
            if (digits(2, start) == 0) {
                throw error(start, "malformed number: binary literal has no digits");
            }
            return integer(start, start + 2, 2);
        }
        int intDigits = digits(10, start);
        boolean approximate = false;
        if (peek() == '.') {
            approximate = true;
            pos++;
            if (pos < text.length() && text.charAt(pos) == '_') {
                throw error(start, "malformed number: '_' must be between digits");
            }
            int fractionDigits = digits(10, start);
            if (intDigits == 0 && fractionDigits == 0) {
                throw error(start, "malformed number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            approximate = true;
            exponent(start);
        }
        char suffix = peek();
        if (suffix == 'f' || suffix == 'F' || suffix == 'd' || suffix == 'D') {
            pos++;
            return approximate(start, suffix == 'f' || suffix == 'F');
        }
        if (approximate) {
            return approximate(start, false);
        }
        // integer literal: decimal, or octal when it starts with 0
        String t = text.substring(start, pos);
        if (t.length() > 1 && t.charAt(0) == '0') {
            for (int i = 1; i < t.length(); i++) {
                char d = t.charAt(i);
                if (d != '_' && (d < '0' || d > '7')) {
                    throw error(start, "malformed number: " + t + " is not a valid octal literal");
                }
            }
            return integer(start, start + 1, 8);
        }
        return integer(start, start, 10);
    }

    private void exponent(int start) throws SelectorParseException {
        pos++; // e, E, p or P
        if (peek() == '+' || peek() == '-') {
            pos++;
        }
        if (digits(10, start) == 0) {
            throw error(start, "malformed number: exponent has no digits");
        }
    }

    private Token hex(int start) throws SelectorParseException {
        pos += 2;
        int before = digits(16, start);
        boolean floating = false;
        if (peek() == '.') {
            floating = true;
            pos++;
            int after = digits(16, start);
            if (before == 0 && after == 0) {
                throw error(start, "malformed number: hexadecimal literal has no digits");
            }
        } else if (before == 0) {
            throw error(start, "malformed number: hexadecimal literal has no digits");
        }
        if (peek() == 'p' || peek() == 'P') {
            exponent(start);
            char suffix = peek();
            boolean isFloat = suffix == 'f' || suffix == 'F';
            if (isFloat || suffix == 'd' || suffix == 'D') {
                pos++;
            }
            return approximate(start, isFloat);
        }
        if (floating) {
            throw error(start, "malformed number: hexadecimal floating-point literal needs a 'p' exponent");
        }
        return integer(start, start + 2, 16);
    }

    /** Finishes an integer literal whose digits (with underscores) run from digitsStart to pos. */
    private Token integer(int start, int digitsStart, int radix) throws SelectorParseException {
        int digitsEnd = pos;
        if (peek() == 'l' || peek() == 'L') {
            pos++;
        }
        checkEnd(start);
        String t = text.substring(start, pos);
        String digits = text.substring(digitsStart, digitsEnd).replace("_", "");
        if (radix == 10) {
            try {
                return new Token(Kind.EXACT, start, t, Long.parseLong(digits), false);
            } catch (NumberFormatException e) {
                if (digits.equals("9223372036854775808")) {
                    return new Token(Kind.EXACT, start, t, Long.MIN_VALUE, true);
                }
                throw error(start, "integer literal " + t + " is out of the range of a Java long");
            }
        }
        try {
            // as in Java, hexadecimal, octal and binary literals may use all 64 bits
            return new Token(Kind.EXACT, start, t, Long.parseUnsignedLong(digits, radix), false);
        } catch (NumberFormatException e) {
            throw error(start, "integer literal " + t + " is out of the range of a Java long");
        }
    }

    private Token approximate(int start, boolean isFloat) throws SelectorParseException {
        checkEnd(start);
        String t = text.substring(start, pos);
        String s = t.replace("_", "");
        Object value;
        boolean infinite;
        try {
            if (isFloat) {
                float f = Float.parseFloat(s);
                infinite = Float.isInfinite(f);
                value = f;
            } else {
                double d = Double.parseDouble(s);
                infinite = Double.isInfinite(d);
                value = d;
            }
        } catch (NumberFormatException e) {
            throw error(start, "malformed number " + t);
        }
        if (infinite) {
            throw error(start, "floating-point literal " + t + " is out of the range of a Java " + (isFloat ? "float" : "double"));
        }
        return new Token(Kind.APPROXIMATE, start, t, value, false);
    }

    /**
     * A number must not run straight into digits, a dot or an underscore (as in 1.2.3 or 5L5). A letter may follow
     * (as in {@code a=1AND b=2}, where it starts the next token; {@code 12abc} then fails as two operands in a row).
     */
    private void checkEnd(int start) throws SelectorParseException {
        if (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.' || c == '_' || isDigit(c)) {
                throw error(start, "malformed number " + text.substring(start, Math.min(text.length(), pos + 1)));
            }
        }
    }
}
