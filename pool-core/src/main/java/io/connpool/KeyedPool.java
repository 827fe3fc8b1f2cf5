package io.connpool;

import io.connpool.internal.KeyedExclusivePool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One pool, many destinations: connections are kept per key (an address a load balancer picked,
 * a tenant, a shard) with a cap per key and a cap on all keys together.
 *
 * <pre>{@code
 * KeyedPool<String, TcpConnection> pool = KeyedPool.builder(
 *                 (String address) -> TcpConnectionFactory.to(address).build().connect())
 *         .name("backends").maxPerKey(4).maxTotal(64)
 *         .build();
 *
 * String reply = pool.withConnection(balancer.pick(), conn -> talk(conn));
 * }</pre>
 *
 * <p>Each key has its own queue of waiters (served first come, first served), its own circuit breaker
 * and back-off: a destination that is down fails fast without slowing the others. When all keys
 * together hold {@code maxTotal} connections and a key needs one more, the least recently used idle
 * connection of another key is closed to make room; when none is idle, the key waits for the next
 * connection to be returned anywhere, which is then closed for it. A key whose last connection is
 * gone, with nobody waiting and no back-off running, is forgotten.
 *
 * @param <K> the key type
 * @param <C> the connection type
 */
public interface KeyedPool<K, C> extends ManagedPool {

    /** Starts a builder of a pool of the connections {@code factory} opens. */
    static <K, C> Builder<K, C> builder(KeyedConnectionFactory<K, C> factory) {
        return new Builder<>(factory);
    }

    /** Takes a connection to {@code key}, waiting up to the pool's {@code acquireTimeout}. */
    Lease<C> acquire(K key);

    /** Takes a connection to {@code key}, waiting up to {@code timeout}. */
    Lease<C> acquire(K key, Duration timeout);

    /** Dials a new connection to {@code key}; see {@link Pool#acquireFresh()}. */
    Lease<C> acquireFresh(K key);

    /** Runs {@code callback} with a connection to {@code key}; see {@link Pool#withConnection}. */
    <T> T withConnection(K key, ConnectionCallback<C, T> callback);

    /** Sends the messages one after another over one connection to {@code key}; see {@link Pool#sendBatch}. */
    <M, R> List<R> sendBatch(K key, List<M> messages, BatchFunction<C, M, R> function);

    /** Sends the messages in parallel over connections to {@code key}; see {@link Pool#sendBatchParallel}. */
    <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function);

    /** {@link #sendBatchParallel(Object, List, BatchFunction)} on the caller's {@code executor}. */
    <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function, Executor executor);

    /**
     * The figures of all keys together: counts summed over the keys, {@code maxSize} = {@code maxTotal},
     * the circuit state of the worst key and the most recent creation error of any key.
     */
    @Override
    PoolStats stats();

    /** The figures of one key; all zeros for a key the pool does not know (or has forgotten). */
    PoolStats stats(K key);

    /** The keys the pool knows now: those with connections, waiters or a back-off running. */
    Set<K> keys();

    /** Closes the idle connections of {@code key} now and its in-use ones when they are returned. */
    void drain(K key);

    /** Changes {@code maxTotal}. */
    @Override
    void resize(int maxTotal);

    /** Builds a {@link KeyedPool}. */
    final class Builder<K, C> extends PoolSettings<Builder<K, C>> {

        private final KeyedConnectionFactory<K, C> factory;
        private int maxTotal = 100;
        private Integer maxPerKey;
        private Integer maxIdlePerKey;
        private int minIdlePerKey = 0;

        private Builder(KeyedConnectionFactory<K, C> factory) {
            if (factory == null) {
                throw new InvalidConfigException("factory", null, "a KeyedConnectionFactory");
            }
            this.factory = factory;
        }

        /** The cap on live connections of all keys together, counting those being opened. Default 100. */
        public Builder<K, C> maxTotal(int maxTotal) {
            this.maxTotal = atLeast("maxTotal", maxTotal, 1);
            return this;
        }

        /** The cap on live connections of one key. At most {@code maxTotal}. Default 10 (or {@code maxTotal} if lower). */
        public Builder<K, C> maxPerKey(int maxPerKey) {
            this.maxPerKey = atLeast("maxPerKey", maxPerKey, 1);
            return this;
        }

        /** Idle connections of one key beyond this many are closed. Default: {@code maxPerKey}. */
        public Builder<K, C> maxIdlePerKey(int maxIdlePerKey) {
            this.maxIdlePerKey = atLeast("maxIdlePerKey", maxIdlePerKey, 0);
            return this;
        }

        /**
         * Connections kept open per key, for every key used at least once (such keys are then never
         * forgotten while their destination answers). Default 0.
         */
        public Builder<K, C> minIdlePerKey(int minIdlePerKey) {
            this.minIdlePerKey = atLeast("minIdlePerKey", minIdlePerKey, 0);
            return this;
        }

        /** Checks the settings and starts the pool. */
        public KeyedPool<K, C> build() {
            int perKey = maxPerKey != null ? maxPerKey : Math.min(10, maxTotal);
            if (perKey > maxTotal) {
                throw new InvalidConfigException("maxPerKey", perKey, "at most maxTotal (" + maxTotal + ")");
            }
            int idleCap = maxIdlePerKey != null ? maxIdlePerKey : perKey;
            checkSizes("maxPerKey", perKey, "minIdlePerKey", minIdlePerKey, "maxIdlePerKey", idleCap);
            String poolName = poolName();
            return new KeyedExclusivePool<>(poolName, maxTotal,
                    // a key is the caller's (a URI, say): its user info must not reach every message naming the engine
                    key -> config(poolName + "[" + Secrets.redact(String.valueOf(key)) + "]", perKey, minIdlePerKey, idleCap),
                    factory);
        }
    }
}
