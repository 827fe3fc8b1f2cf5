package io.connpool;

import java.util.List;
import java.util.Set;

/**
 * Work with pooled connections by pool name, the way {@code JdbcTemplate} works with a DataSource:
 * the connection is taken, handed to the callback, and given back (or closed if the callback found it
 * broken) whatever happens.
 *
 * <p>Use it through a typed handle, looked up once:
 *
 * <pre>{@code
 * PoolHandle<TcpConnection> echo = template.pool("echo", TcpConnection.class);
 * String reply = echo.withConnection(c -> ask(c, "ping"));
 *
 * KeyedPoolHandle<String, TcpConnection> backends = template.keyedPool("backends", String.class, TcpConnection.class);
 * String other = backends.withConnection("10.0.0.7:7000", c -> ask(c, "ping"));
 * }</pre>
 *
 * <p>The handle checks the connection type (at lookup where the registry knows the pool's type, else on
 * the first connection handed out) and fails with a {@link WrongConnectionTypeException} naming the
 * pool, the type asked for and the type the pool has. The untyped methods ({@code withConnection(pool,
 * callback)} and the batches) remain: there the connection's type is whatever the callback's parameter
 * says, unchecked, and a {@link ClassCastException} out of a {@code withConnection} callback is rethrown
 * as one whose message names the pool (the original is its cause).
 *
 * <p>Works over every kind of pool: {@link Pool} and {@link SharedPool} by name, {@link KeyedPool} by
 * name and key. An unknown name is a {@link PoolException} listing the pools there are.
 */
public class PoolTemplate {

    private final PoolRegistry registry;

    public PoolTemplate(PoolRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        this.registry = registry;
    }

    /**
     * A typed handle on pool {@code pool} (a {@code Pool} or {@code SharedPool}) whose connections are
     * {@code connectionType}s: the way to use this template. Fails now with a
     * {@link WrongConnectionTypeException} when the registry knows the pool's connection type and it
     * cannot be a {@code connectionType}; otherwise the first connection handed out is checked.
     */
    public <C> PoolHandle<C> pool(String pool, Class<C> connectionType) {
        requireArgument(connectionType, "connectionType");
        ManagedPool target = registry.get(pool);
        if (target instanceof KeyedPool) {
            throw new PoolException("Pool '" + pool + "' is keyed: use keyedPool(\"" + pool + "\", <key type>.class, "
                    + connectionType.getSimpleName() + ".class)");
        }
        if (!(target instanceof Pool) && !(target instanceof SharedPool)) {
            throw notAPoolKind(pool, target);
        }
        return new PoolHandle<>(pool, target, new ConnectionTypeGuard<>(pool, connectionType, false, registry.connectionType(pool)));
    }

    /**
     * A typed handle on keyed pool {@code pool} whose keys are {@code keyType}s and connections
     * {@code connectionType}s; the connection type is checked as by {@link #pool(String, Class)}.
     */
    @SuppressWarnings("unchecked")
    public <K, C> KeyedPoolHandle<K, C> keyedPool(String pool, Class<K> keyType, Class<C> connectionType) {
        requireArgument(keyType, "keyType");
        requireArgument(connectionType, "connectionType");
        ManagedPool target = registry.get(pool);
        if (!(target instanceof KeyedPool)) {
            throw new PoolException("Pool '" + pool + "' is not keyed: use pool(\"" + pool + "\", "
                    + connectionType.getSimpleName() + ".class)");
        }
        return new KeyedPoolHandle<>(pool, (KeyedPool<K, C>) target,
                new ConnectionTypeGuard<>(pool, connectionType, true, registry.connectionType(pool)));
    }

    /**
     * Runs {@code callback} with a connection of pool {@code pool} (a {@code Pool} or {@code SharedPool}),
     * typed as the callback's parameter says, unchecked: prefer {@link #pool(String, Class)}.
     */
    @SuppressWarnings("unchecked")
    public <C, T> T withConnection(String pool, ConnectionCallback<C, T> callback) {
        requireCallback(callback);
        ManagedPool target = registry.get(pool);
        try {
            if (target instanceof Pool) {
                return ((Pool<C>) target).withConnection(callback);
            }
            if (target instanceof SharedPool) {
                return ((SharedPool<C>) target).withConnection(callback);
            }
        } catch (ClassCastException e) {
            throw namingPool(pool, e);
        }
        throw keyedNeedsKey(pool);
    }

    /**
     * Runs {@code callback} with a connection of keyed pool {@code pool} to {@code key}, typed as the
     * callback's parameter says, unchecked: prefer {@link #keyedPool(String, Class, Class)}.
     */
    @SuppressWarnings("unchecked")
    public <C, T> T withConnection(String pool, Object key, ConnectionCallback<C, T> callback) {
        requireCallback(callback);
        KeyedPool<Object, C> target = (KeyedPool<Object, C>) keyed(pool);
        try {
            return target.withConnection(key, callback);
        } catch (ClassCastException e) {
            throw namingPool(pool, e);
        }
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

    private static PoolException notAPoolKind(String pool, ManagedPool target) {
        return new PoolException("Pool '" + pool + "' is a " + target.getClass().getName()
                + ", neither a Pool, a SharedPool nor a KeyedPool: the template cannot hand out its connections");
    }

    /**
     * Most often the callback's parameter type is not the pool's connection type (the cast is in the
     * lambda, before any of the caller's code): the JDK's message names both types but not the pool.
     * Only the failure path pays for this.
     */
    private ClassCastException namingPool(String pool, ClassCastException e) {
        Class<?> declared = registry.connectionType(pool);
        ClassCastException named = new ClassCastException("In a callback on pool '" + pool + "'"
                + (declared == null ? "" : " (whose connections are " + declared.getName() + ")") + ": " + e.getMessage()
                + ". To have the connection type checked, with the pool named, use PoolTemplate.pool(\"" + pool
                + "\", <connection type>.class)");
        named.initCause(e);
        return named;
    }

    private static void requireCallback(Object callback) {
        requireArgument(callback, "callback");
    }

    static void requireArgument(Object argument, String name) {
        if (argument == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
