package io.connpool;

import java.lang.reflect.Modifier;

/**
 * Checks, for a typed handle of {@link PoolTemplate}, that a pool's connections are of the type the
 * handle was asked for. Once one connection has passed (or the pool's declared type already proves it),
 * calls go to the pool untouched: the check's wrapper is allocated only until then, so the hot path
 * allocates nothing and tests nothing. Connections of one pool come from one factory, so the first one
 * speaks for the rest; a factory declared as returning a supertype that hands out mixed classes is
 * the one case this does not catch after the first call.
 */
final class ConnectionTypeGuard<C> {

    private final String pool;
    private final Class<C> type;
    private final boolean keyed;

    // A stale false only costs one more checked call: no ordering is needed beyond the eventual write.
    private volatile boolean verified;

    ConnectionTypeGuard(String pool, Class<C> type, boolean keyed, Class<?> declared) {
        this.pool = pool;
        this.type = type;
        this.keyed = keyed;
        if (declared != null) {
            if (type.isAssignableFrom(declared)) {
                verified = true;
            } else if (!canBeBoth(type, declared)) {
                throw new WrongConnectionTypeException("Pool '" + pool + "' hands out connections of type "
                        + declared.getName() + ", which cannot be " + type.getName() + " as asked; " + advice(declared),
                        pool, type, declared);
            }
            // else the handle asks for a subtype of the declared type: the first connection decides
        }
    }

    boolean verified() {
        return verified;
    }

    @SuppressWarnings("unchecked")
    C check(Object connection) {
        if (!type.isInstance(connection)) {
            Class<?> actual = connection == null ? null : connection.getClass();
            throw new WrongConnectionTypeException("Pool '" + pool + "' handed out a connection of type "
                    + (actual == null ? "null" : actual.getName()) + ", but the caller expects " + type.getName()
                    + "; " + (actual == null ? "check the pool's factory" : advice(actual)), pool, type, actual);
        }
        verified = true;
        return (C) connection;
    }

    <T> ConnectionCallback<C, T> checking(ConnectionCallback<C, T> callback) {
        return connection -> callback.doWithConnection(check(connection));
    }

    <M, R> BatchFunction<C, M, R> checking(BatchFunction<C, M, R> function) {
        return (connection, message) -> function.apply(check(connection), message);
    }

    /** A sequential batch wraps what its function threw; a wrong type is not the batch's failure but the caller's. */
    static RuntimeException unwrap(CallbackException e) {
        return e.getCause() instanceof WrongConnectionTypeException ? (WrongConnectionTypeException) e.getCause() : e;
    }

    /** A parallel batch keeps each message's failure; a wrong type failed them all for one reason, thrown once. */
    static <R> BatchResult<R> throwIfWrongType(BatchResult<R> result) {
        for (BatchFailure failure : result.failed()) {
            if (failure.error() instanceof WrongConnectionTypeException) {
                throw (WrongConnectionTypeException) failure.error();
            }
        }
        return result;
    }

    private String advice(Class<?> actual) {
        String name = actual.getSimpleName().isEmpty() ? actual.getName() : actual.getSimpleName();
        return "ask for " + (keyed ? "keyedPool(\"" + pool + "\", <key type>.class, " : "pool(\"" + pool + "\", ")
                + name + ".class) or a supertype of it";
    }

    /** Whether some object could be an instance of both: only two unrelated classes, or a final class and an interface it lacks, rule it out. */
    private static boolean canBeBoth(Class<?> a, Class<?> b) {
        if (a.isAssignableFrom(b) || b.isAssignableFrom(a)) {
            return true;
        }
        if (a.isPrimitive() || b.isPrimitive()) {
            return false;
        }
        if (a.isInterface() && b.isInterface()) {
            return true;
        }
        if (a.isInterface()) {
            return !Modifier.isFinal(b.getModifiers());
        }
        if (b.isInterface()) {
            return !Modifier.isFinal(a.getModifiers());
        }
        return false;
    }
}
