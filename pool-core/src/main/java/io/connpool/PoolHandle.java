package io.connpool;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * A pool of {@link PoolTemplate} by name, typed: its callbacks receive the connection as {@code C}.
 * Look it up once ({@link PoolTemplate#pool(String, Class)}, say in a constructor) and keep it: the
 * lookup checks the pool exists, is not keyed, and, where its connection type is known, that it is a
 * {@code C}; where it is not known, the first connection handed out is checked before the callback runs.
 * Either way a mismatch is a {@link WrongConnectionTypeException} naming the pool and both types, never
 * a {@link ClassCastException} in the middle of the callback.
 *
 * <p>Works over a {@link Pool} and a {@link SharedPool} alike; their semantics (waiting, broken
 * connections, {@link CallbackException}) are the pool's own.
 *
 * @param <C> the connection type
 */
public final class PoolHandle<C> {

    private final String name;
    // exactly one of the two is set: one final field test is cheaper than a wrapper per pool kind
    private final Pool<C> exclusive;
    private final SharedPool<C> shared;
    private final ConnectionTypeGuard<C> guard;

    @SuppressWarnings("unchecked")
    PoolHandle(String name, ManagedPool pool, ConnectionTypeGuard<C> guard) {
        this.name = name;
        this.exclusive = pool instanceof Pool ? (Pool<C>) pool : null;
        this.shared = pool instanceof SharedPool ? (SharedPool<C>) pool : null;
        this.guard = guard;
    }

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** Runs {@code callback} with a connection of the pool; see {@link Pool#withConnection(ConnectionCallback)}. */
    public <T> T withConnection(ConnectionCallback<C, T> callback) {
        PoolTemplate.requireArgument(callback, "callback");
        if (guard.verified()) {
            return exclusive != null ? exclusive.withConnection(callback) : shared.withConnection(callback);
        }
        ConnectionCallback<C, T> checked = guard.checking(callback);
        return exclusive != null ? exclusive.withConnection(checked) : shared.withConnection(checked);
    }

    /** Sends the messages one after another over one connection; see {@link Pool#sendBatch}. */
    public <M, R> List<R> sendBatch(List<M> messages, BatchFunction<C, M, R> function) {
        PoolTemplate.requireArgument(function, "function");
        if (guard.verified()) {
            return exclusive != null ? exclusive.sendBatch(messages, function) : shared.sendBatch(messages, function);
        }
        BatchFunction<C, M, R> checked = guard.checking(function);
        try {
            return exclusive != null ? exclusive.sendBatch(messages, checked) : shared.sendBatch(messages, checked);
        } catch (CallbackException e) {
            throw ConnectionTypeGuard.unwrap(e);
        }
    }

    /** Sends the messages in parallel; see {@link Pool#sendBatchParallel(List, BatchFunction)}. */
    public <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function) {
        return sendBatchParallel(messages, function, null);
    }

    /** Sends the messages in parallel on {@code executor} (null: the pool's workers); see {@link Pool#sendBatchParallel}. */
    public <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function, Executor executor) {
        PoolTemplate.requireArgument(function, "function");
        if (guard.verified()) {
            return parallel(messages, function, executor);
        }
        return ConnectionTypeGuard.throwIfWrongType(parallel(messages, guard.checking(function), executor));
    }

    /** The pool's figures. */
    public PoolStats stats() {
        return exclusive != null ? exclusive.stats() : shared.stats();
    }

    private <M, R> BatchResult<R> parallel(List<M> messages, BatchFunction<C, M, R> function, Executor executor) {
        if (exclusive != null) {
            return executor == null ? exclusive.sendBatchParallel(messages, function)
                    : exclusive.sendBatchParallel(messages, function, executor);
        }
        return executor == null ? shared.sendBatchParallel(messages, function) : shared.sendBatchParallel(messages, function, executor);
    }

    @Override
    public String toString() {
        return "PoolHandle[" + name + "]";
    }
}
