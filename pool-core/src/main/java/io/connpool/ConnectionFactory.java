package io.connpool;

/**
 * Opens, checks and closes the connections of a pool.
 *
 * <p>{@link #connect()} is called on a pool thread, never while the pool holds a lock, and may block
 * (dialing a socket, a TLS handshake). It must either return a live connection or throw; returning
 * {@code null} is reported as a failed creation.
 *
 * @param <C> the connection type
 */
@FunctionalInterface
public interface ConnectionFactory<C> {

    /** Opens a new connection. */
    C connect() throws Exception;

    /**
     * A cheap liveness check, run on borrow after a connection sat idle (see
     * {@code validateAfterInactivity}) and by the keepalive. Returns {@code false} or throws when the
     * connection is dead; the pool then closes it and hands out another.
     */
    default boolean validate(C connection) throws Exception {
        return true;
    }

    /** Closes a connection the pool no longer wants. Closes {@link AutoCloseable} connections by default. */
    default void close(C connection) throws Exception {
        if (connection instanceof AutoCloseable) {
            ((AutoCloseable) connection).close();
        }
    }
}
