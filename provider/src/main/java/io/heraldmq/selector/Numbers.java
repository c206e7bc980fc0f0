package io.heraldmq.selector;

/**
 * Numeric comparison and arithmetic with Java binary numeric promotion: if either operand is a double both are
 * doubles, else if either is a float both are floats, else both are integers. Integer arithmetic is done in
 * {@code long} (so int values never overflow); a result that does not fit in a long, and integer division by zero,
 * are unknown (SQL raises an exception for both; a selector evaluates them as NULL).
 */
final class Numbers {
    static final int NOT_NUMERIC = 0;
    /** Byte, Short, Integer or Long. */
    static final int INTEGRAL = 1;
    static final int FLOAT = 2;
    static final int DOUBLE = 3;

    private Numbers() {
    }

    static int kind(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return INTEGRAL;
        }
        if (v instanceof Double) {
            return DOUBLE;
        }
        if (v instanceof Float) {
            return FLOAT;
        }
        return NOT_NUMERIC;
    }

    static boolean compare(Expr.CompareOp op, Number l, int lk, Number r, int rk) {
        int k = Math.max(lk, rk);
        if (k == INTEGRAL) {
            long a = l.longValue();
            long b = r.longValue();
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
        if (k == FLOAT) {
            float a = l.floatValue();
            float b = r.floatValue();
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
        double a = l.doubleValue();
        double b = r.doubleValue();
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    /** The result of l op r, or null (unknown) if either is not a number, on long overflow or integer division by 0. */
    static Object arith(Expr.ArithOp op, Object l, Object r) {
        int lk = kind(l);
        int rk = kind(r);
        if (lk == NOT_NUMERIC || rk == NOT_NUMERIC) {
            return null;
        }
        int k = Math.max(lk, rk);
        Number ln = (Number) l;
        Number rn = (Number) r;
        if (k == INTEGRAL) {
            long a = ln.longValue();
            long b = rn.longValue();
            if (op == Expr.ArithOp.DIVIDE && (b == 0 || (a == Long.MIN_VALUE && b == -1))) {
                return null;
            }
            try {
                long result = switch (op) {
                    case ADD -> Math.addExact(a, b);
                    case SUBTRACT -> Math.subtractExact(a, b);
                    case MULTIPLY -> Math.multiplyExact(a, b);
                    case DIVIDE -> a / b;
                };
                return result;
            } catch (ArithmeticException overflow) {
                return null;
            }
        }
        if (k == FLOAT) {
            float a = ln.floatValue();
            float b = rn.floatValue();
            float result = switch (op) {
                case ADD -> a + b;
                case SUBTRACT -> a - b;
                case MULTIPLY -> a * b;
                case DIVIDE -> a / b;
            };
            return result;
        }
        double a = ln.doubleValue();
        double b = rn.doubleValue();
        double result = switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
        };
        return result;
    }

    /** -v, or null (unknown) if v is not a number or is Long.MIN_VALUE. */
    static Object negate(Object v) {
        if (v instanceof Double d) {
            return -d;
        }
        if (v instanceof Float f) {
            return -f;
        }
        if (kind(v) == INTEGRAL) {
            long x = ((Number) v).longValue();
            if (x == Long.MIN_VALUE) {
                return null;
            }
            return -x;
        }
        return null;
    }
}
