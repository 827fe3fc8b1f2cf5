package io.connpool;

/**
 * A typed handle of {@link PoolTemplate} was asked for connections of a type the pool does not hand
 * out: when the pool's connection type is known (the Spring starter knows it for {@code tcp} pools and
 * for factories whose generic type it can resolve), at {@link PoolTemplate#pool lookup}; otherwise when
 * the first connection is handed out, before the callback runs. The message names the pool, the type
 * asked for and the type the pool has.
 */
public class WrongConnectionTypeException extends PoolException {

    private final String pool;
    private final Class<?> expected;
    private final Class<?> actual;

    public WrongConnectionTypeException(String message, String pool, Class<?> expected, Class<?> actual) {
        super(message);
        this.pool = pool;
        this.expected = expected;
        this.actual = actual;
    }

    /** The pool's name. */
    public String pool() {
        return pool;
    }

    /** The connection type the caller asked for. */
    public Class<?> expected() {
        return expected;
    }

    /** The pool's connection type: the declared one, or the class of the connection it handed out. */
    public Class<?> actual() {
        return actual;
    }
}
