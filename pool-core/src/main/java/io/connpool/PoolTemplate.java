package io.connpool;

import java.util.List;
import java.util.Set;

/**
 * Work with pooled connections by pool name, the way {@code JdbcTemplate} works with a DataSource:
 * the connection is taken, handed to the callback, and given back (or closed if the callback found it
 * broken) whatever happens.
 *
 * <pre>{@code
 * String reply = template.withConnection("echo", (TcpConnection c) -> ask(c, "ping"));
 * }</pre>
 *
 * <p>Works over every kind of pool: {@link Pool} and {@link SharedPool} by name, {@link KeyedPool} by
 * name and key. The connection's type is the caller's to state; a callback whose type does not match
 * the pool's connections fails with a {@link ClassCastException} inside the callback.
 */
public class PoolTemplate {

    private final PoolRegistry registry;

    public PoolTemplate(PoolRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        this.registry = registry;
    }

    /** Runs {@code callback} with a connection of pool {@code pool} (a {@code Pool} or {@code SharedPool}). */
    @SuppressWarnings("unchecked")
    public <C, T> T withConnection(String pool, ConnectionCallback<C, T> callback) {
        requireCallback(callback);
        ManagedPool target = registry.get(pool);
        if (target instanceof Pool) {
            return ((Pool<C>) target).withConnection(callback);
        }
        if (target instanceof SharedPool) {
            return ((SharedPool<C>) target).withConnection(callback);
        }
        throw keyedNeedsKey(pool);
    }

    /** Runs {@code callback} with a connection of keyed pool {@code pool} to {@code key}. */
    @SuppressWarnings("unchecked")
    public <C, T> T withConnection(String pool, Object key, ConnectionCallback<C, T> callback) {
        requireCallback(callback);
        return ((KeyedPool<Object, C>) keyed(pool)).withConnection(key, callback);
    }

    /** Sends the messages one after another over one connection of {@code pool}; see {@link Pool#sendBatch}. */
    @SuppressWarnings("unchecked")
    public <C, M, R> List<R> sendBatch(String pool, List<M> messages, BatchFunction<C, M, R> function) {
        ManagedPool target = registry.get(pool);
        if (target instanceof Pool) {
            return ((Pool<C>) target).sendBatch(messages, function);
        }
        if (target instanceof SharedPool) {
            return ((SharedPool<C>) target).sendBatch(messages, function);
        }
        throw keyedNeedsKey(pool);
    }

    /** Sends the messages in parallel over connections of {@code pool}; see {@link Pool#sendBatchParallel}. */
    @SuppressWarnings("unchecked")
    public <C, M, R> BatchResult<R> sendBatchParallel(String pool, List<M> messages, BatchFunction<C, M, R> function) {
        ManagedPool target = registry.get(pool);
        if (target instanceof Pool) {
            return ((Pool<C>) target).sendBatchParallel(messages, function);
        }
        if (target instanceof SharedPool) {
            return ((SharedPool<C>) target).sendBatchParallel(messages, function);
        }
        throw keyedNeedsKey(pool);
    }

    /** The figures of pool {@code pool} (totals, for a keyed pool). */
    public PoolStats stats(String pool) {
        return registry.get(pool).stats();
    }

    /** The names of the pools. */
    public Set<String> poolNames() {
        return registry.names();
    }

    private KeyedPool<?, ?> keyed(String pool) {
        ManagedPool target = registry.get(pool);
        if (!(target instanceof KeyedPool)) {
            throw new PoolException("Pool '" + pool + "' is not keyed: call withConnection(\"" + pool + "\", callback)");
        }
        return (KeyedPool<?, ?>) target;
    }

    private static PoolException keyedNeedsKey(String pool) {
        return new PoolException("Pool '" + pool + "' is keyed: call withConnection(\"" + pool + "\", key, callback)");
    }

    private static void requireCallback(Object callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
    }
}
