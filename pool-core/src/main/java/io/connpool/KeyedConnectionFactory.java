package io.connpool;

/**
 * Opens, checks and closes the connections of a {@link KeyedPool}: like {@link ConnectionFactory},
 * with the destination's key given to {@link #connect(Object)}.
 *
 * @param <K> the key type, e.g. a {@code host:port} string
 * @param <C> the connection type
 */
@FunctionalInterface
public interface KeyedConnectionFactory<K, C> {

    /** Opens a new connection to {@code key}'s destination. */
    C connect(K key) throws Exception;

    /** A cheap liveness check; see {@link ConnectionFactory#validate}. */
    default boolean validate(K key, C connection) throws Exception {
        return true;
    }

    /** Closes a connection the pool no longer wants. Closes {@link AutoCloseable} connections by default. */
    default void close(K key, C connection) throws Exception {
        if (connection instanceof AutoCloseable) {
            ((AutoCloseable) connection).close();
        }
    }
}
