package io.connpool;

import io.connpool.internal.SharedConnectionPool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * A pool whose connections serve many calls at once: an HTTP/2 or gRPC channel, a thread-safe client,
 * or (with {@code maxCallsPerConnection(1)}) an expensive connection that takes one call after another.
 *
 * <pre>{@code
 * SharedPool<Channel> channels = SharedPool.builder(() -> openChannel("prices.internal:443"))
 *         .name("prices").maxSize(4).minIdle(4)
 *         .maxCallsPerConnection(64).routing(Routing.LEAST_IN_FLIGHT)
 *         .build();
 *
 * Quote quote = channels.call(channel -> channel.quote("EURUSD"));
 * }</pre>
 *
 * <p>A call goes to a connection with room for it, picked by the {@link Routing}. When every
 * connection is full and the pool is below {@code maxSize}, a new connection is opened; otherwise the
 * call waits, first come first served, up to {@code acquireTimeout} ({@code maxPending} bounds the
 * queue). Calls wait on the pool, not on one connection, so when a connection dies, nothing waits on
 * it: it takes no new call at once, the calls running on it finish or fail on their own, and it is
 * closed when the last one ends; {@code revive} then re-opens connections back to {@code minIdle}.
 * A connection past its {@code maxLifetime} (its TTL) likewise takes no new call and is closed when
 * its last call ends. New connections are opened only when the others are full: set {@code minIdle}
 * to {@code maxSize} to spread calls over all connections from the start.
 *
 * <p>{@link ConnectionFactory#validate} may be called while other calls run on the connection.
 * {@link PoolListener#onConnectionCreated} and {@link PoolListener#onConnectionDestroyed} are the
 * registration hooks of Spear's routing pool.
 *
 * @param <C> the connection type
 */
public interface SharedPool<C> extends ManagedPool {

    /** Starts a builder of a pool of the connections {@code factory} opens. */
    static <C> Builder<C> builder(ConnectionFactory<C> factory) {
        return new Builder<>(factory);
    }

    /**
     * Starts one call on a shared connection, waiting up to the pool's {@code acquireTimeout}. The
     * lease's {@code close()} ends the call, never the connection; {@code invalidate()} ends it and
     * says the connection is broken (it takes no new call, and closes when its calls end).
     */
    Lease<C> acquire();

    /** {@link #acquire()} with a timeout. */
    Lease<C> acquire(Duration timeout);

    /** Runs {@code callback} as one call on a shared connection; see {@link Pool#withConnection}. */
    <T> T withConnection(ConnectionCallback<C, T> callback);

    /** {@link #withConnection(ConnectionCallback)} on a connection matching {@code filter}. */
    <T> T withConnection(Predicate<ConnectionInfo> filter, ConnectionCallback<C, T> callback);

    /** The same as {@link #withConnection(ConnectionCallback)}, shorter. */
    default <T> T call(ConnectionCallback<C, T> callback) {
        return withConnection(callback);
    }

    /** Sends the messages one after another as one call; see {@link Pool#sendBatch}. */
    <M, R> List<R> sendBatch(List<M> messages, BatchFunction<C, M, R> function);

    /** Sends the messages as parallel calls; see {@link Pool#sendBatchParallel}. */
    <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function);

    /** {@link #sendBatchParallel(List, BatchFunction)} on the caller's {@code executor}. */
    <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function, Executor executor);

    /** Builds a {@link SharedPool}. */
    final class Builder<C> extends PoolBuilder<Builder<C>> {

        private final ConnectionFactory<C> factory;
        private int maxCallsPerConnection = 100;
        private Routing routing = Routing.LEAST_IN_FLIGHT;

        private Builder(ConnectionFactory<C> factory) {
            if (factory == null) {
                throw new InvalidConfigException("factory", null, "a ConnectionFactory");
            }
            this.factory = factory;
        }

        /**
         * How many calls may run on one connection at once; 1 makes calls to a connection run one
         * after another. Default 100 (HTTP/2's usual limit of concurrent streams). A connection counts
         * its calls in 30 bits, so a value above 1,073,741,823 (2<sup>30</sup> − 1, up to
         * {@code Integer.MAX_VALUE}) is taken as that: no practical limit.
         */
        public Builder<C> maxCallsPerConnection(int maxCallsPerConnection) {
            if (maxCallsPerConnection < 1) {
                throw new InvalidConfigException("maxCallsPerConnection", maxCallsPerConnection, "at least 1");
            }
            this.maxCallsPerConnection = Math.min(maxCallsPerConnection, SharedConnectionPool.MAX_CALLS_PER_CONNECTION);
            return this;
        }

        /** How a call picks its connection. Default {@link Routing#LEAST_IN_FLIGHT}. */
        public Builder<C> routing(Routing routing) {
            if (routing == null) {
                throw new InvalidConfigException("routing", null, "one of " + List.of(Routing.values()));
            }
            this.routing = routing;
            return this;
        }

        /** Checks the settings and starts the pool. */
        public SharedPool<C> build() {
            return new SharedConnectionPool<>(config(), factory,
                    maxCallsPerConnection, routing);
        }
    }
}
