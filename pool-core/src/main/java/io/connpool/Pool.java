package io.connpool;

import io.connpool.internal.ExclusivePool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * A pool of connections to one destination, each handed out to one caller at a time.
 *
 * <pre>{@code
 * Pool<Socket> pool = Pool.builder(() -> new Socket("db.internal", 7000))
 *         .name("orders").maxSize(8).minIdle(2)
 *         .build();
 *
 * String reply = pool.withConnection(socket -> talk(socket));   // returned (or closed if broken) for you
 *
 * try (Lease<Socket> lease = pool.acquire()) {                 // or hold one yourself
 *     talk(lease.connection());
 * }
 * }</pre>
 *
 * <p>Waiting callers are served first come, first served. When nothing is idle and the pool is below
 * {@code maxSize}, a connection is dialed in the background; when dialing fails, callers that were
 * counting on it fail with {@link ConnectionFailedException} rather than wait for nothing, and the pool
 * backs off (see {@link CircuitState}).
 *
 * @param <C> the connection type
 */
public interface Pool<C> extends ManagedPool {

    /** Starts a builder of a pool of the connections {@code factory} opens. */
    static <C> Builder<C> builder(ConnectionFactory<C> factory) {
        return new Builder<>(factory);
    }

    /** Takes a connection, waiting up to the pool's {@code acquireTimeout}. */
    Lease<C> acquire();

    /** Takes a connection, waiting up to {@code timeout}; throws {@link PoolExhaustedException} after it. */
    Lease<C> acquire(Duration timeout);

    /**
     * Takes an existing connection whose snapshot (tags, age…) matches {@code filter}, waiting up to the
     * pool's {@code acquireTimeout} for one to be returned. Never dials for the filter: when no live
     * connection matches, fails at once with {@link NoMatchingConnectionException}.
     */
    Lease<C> acquire(Predicate<ConnectionInfo> filter);

    /** {@link #acquire(Predicate)} with a timeout. */
    Lease<C> acquire(Predicate<ConnectionInfo> filter, Duration timeout);

    /**
     * Takes a newly dialed connection, never a pooled one: for the retry after a connection turned out
     * dead. Dials on the caller's thread; at {@code maxSize}, closes the least recently used idle
     * connection to make room, or replaces the next one returned.
     */
    Lease<C> acquireFresh();

    /**
     * Runs {@code callback} with a connection and returns it to the pool afterwards. When the callback
     * throws an exception the {@link PoolBuilder#brokenWhen broken rule} matches (by default an
     * {@code IOException}), the connection is closed instead. A checked exception is rethrown wrapped in
     * {@link CallbackException}; unchecked ones pass through.
     */
    <T> T withConnection(ConnectionCallback<C, T> callback);

    /** {@link #withConnection(ConnectionCallback)} on a connection matching {@code filter}. */
    <T> T withConnection(Predicate<ConnectionInfo> filter, ConnectionCallback<C, T> callback);

    /**
     * Sends the messages one after another over one connection; stops at the first failure and throws
     * {@link CallbackException} with the failed message's index.
     */
    <M, R> List<R> sendBatch(List<M> messages, BatchFunction<C, M, R> function);

    /**
     * Sends the messages in parallel, each on a connection of its own, at most {@code maxSize} at once,
     * on the pool's worker threads and the caller's. Failures are kept with their index.
     */
    <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function);

    /** {@link #sendBatchParallel(List, BatchFunction)} on the caller's {@code executor}. */
    <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function, Executor executor);

    /** Builds a {@link Pool}. */
    final class Builder<C> extends PoolBuilder<Builder<C>> {

        private final ConnectionFactory<C> factory;

        private Builder(ConnectionFactory<C> factory) {
            if (factory == null) {
                throw new InvalidConfigException("factory", null, "a ConnectionFactory");
            }
            this.factory = factory;
        }

        /** Checks the settings and starts the pool (and its warm-up to {@code minIdle}, in the background). */
        public Pool<C> build() {
            return new ExclusivePool<>(config(), factory);
        }
    }
}
