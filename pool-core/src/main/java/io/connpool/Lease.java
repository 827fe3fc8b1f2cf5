package io.connpool;

import java.util.Map;

/**
 * Exclusive use of one pooled connection until {@link #close()}.
 *
 * <pre>{@code
 * try (Lease<Socket> lease = pool.acquire()) {
 *     use(lease.connection());
 * }
 * }</pre>
 *
 * <p>A lease is a handle for one checkout: {@link #close()} and {@link #invalidate()} are idempotent
 * and, once either ran, {@link #connection()}, {@link #tag}, {@link #tags()} and {@link #info()} throw
 * {@link IllegalStateException} (the connection may be another caller's by then). A lease is not
 * meant to be shared between threads without a hand-off that orders their actions.
 *
 * @param <C> the connection type
 */
public interface Lease<C> extends AutoCloseable {

    /** The connection. Throws {@link IllegalStateException} after {@link #close()} or {@link #invalidate()}. */
    C connection();

    /** Returns the connection to the pool. Calling it again does nothing. */
    @Override
    void close();

    /**
     * Destroys the connection instead of returning it (it is broken, or its state is unknown).
     * Calling it after {@link #close()} does nothing.
     */
    void invalidate();

    /** Sets a tag on the connection, kept for its life; {@code acquire(filter)} selects by tags. */
    Lease<C> tag(String key, String value);

    /** The connection's tags. */
    Map<String, String> tags();

    /** A snapshot of the connection's bookkeeping: id, age, use count, tags. */
    ConnectionInfo info();
}
