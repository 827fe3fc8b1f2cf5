package io.connpool;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * A keyed pool of {@link PoolTemplate} by name, typed: keys are {@code K}, callbacks receive the
 * connection as {@code C}. Look it up once ({@link PoolTemplate#keyedPool(String, Class, Class)}) and
 * keep it; the connection type is checked as for {@link PoolHandle}: at lookup where the pool's
 * connection type is known, else on the first connection handed out, before the callback runs. The key
 * type is the caller's statement, as it is for an injected {@code KeyedPool<K, C>}: the pool's factory
 * decides which keys it can dial.
 *
 * @param <K> the key type
 * @param <C> the connection type
 */
public final class KeyedPoolHandle<K, C> {

    private final String name;
    private final KeyedPool<K, C> pool;
    private final ConnectionTypeGuard<C> guard;

    KeyedPoolHandle(String name, KeyedPool<K, C> pool, ConnectionTypeGuard<C> guard) {
        this.name = name;
        this.pool = pool;
        this.guard = guard;
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** Runs {@code callback} with a connection to {@code key}; see {@link KeyedPool#withConnection}. */
    public <T> T withConnection(K key, ConnectionCallback<C, T> callback) {
        PoolTemplate.requireArgument(callback, "callback");
        return pool.withConnection(key, guard.verified() ? callback : guard.checking(callback));
    }

    /** Sends the messages one after another over one connection to {@code key}; see {@link KeyedPool#sendBatch}. */
    public <M, R> List<R> sendBatch(K key, List<M> messages, BatchFunction<C, M, R> function) {
        PoolTemplate.requireArgument(function, "function");
        if (guard.verified()) {
            return pool.sendBatch(key, messages, function);
        }
        try {
            return pool.sendBatch(key, messages, guard.checking(function));
        } catch (CallbackException e) {
            throw ConnectionTypeGuard.unwrap(e);
        }
    }

    /** Sends the messages in parallel over connections to {@code key}; see {@link KeyedPool#sendBatchParallel}. */
    public <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function) {
        return sendBatchParallel(key, messages, function, null);
    }

    /** {@link #sendBatchParallel(Object, List, BatchFunction)} on {@code executor} (null: the pool's workers). */
    public <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function, Executor executor) {
        PoolTemplate.requireArgument(function, "function");
        if (guard.verified()) {
            return parallel(key, messages, function, executor);
        }
        return ConnectionTypeGuard.throwIfWrongType(parallel(key, messages, guard.checking(function), executor));
    }

    /** The figures of all keys together; see {@link KeyedPool#stats()}. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** The figures of {@code key}. */
    public PoolStats stats(K key) {
        return pool.stats(key);
    }

    private <M, R> BatchResult<R> parallel(K key, List<M> messages, BatchFunction<C, M, R> function, Executor executor) {
        return executor == null ? pool.sendBatchParallel(key, messages, function)
                : pool.sendBatchParallel(key, messages, function, executor);
    }

    @Override
    public String toString() {
        return "KeyedPoolHandle[" + name + "]";
    }
}
