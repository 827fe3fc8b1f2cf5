package io.connpool.internal;

import io.connpool.BatchFunction;
import io.connpool.BatchResult;
import io.connpool.ConnectionCallback;
import io.connpool.ConnectionFactory;
import io.connpool.ConnectionInfo;
import io.connpool.InvalidConfigException;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolStats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/** {@link Pool}: the engine with one call per connection. */
public final class ExclusivePool<C> implements Pool<C> {

    private final Engine<C> engine;
    private final long timeoutNanos;

    public ExclusivePool(PoolConfig config, ConnectionFactory<C> factory) {
        this.engine = new Engine<>(config, factory, 1);
        this.timeoutNanos = config.acquireTimeoutNanos();
    }

    /** The engine, for tests that drive housekeeping by hand. */
    public Engine<C> engine() {
        return engine;
    }

    @Override
    public Lease<C> acquire() {
        return new PooledLease<>(engine, engine.acquire(timeoutNanos));
    }

    @Override
    public Lease<C> acquire(Duration timeout) {
        return new PooledLease<>(engine, engine.acquire(nanos(timeout)));
    }

    @Override
    public Lease<C> acquire(Predicate<ConnectionInfo> filter) {
        return acquire(filter, Duration.ofNanos(timeoutNanos));
    }

    @Override
    public Lease<C> acquire(Predicate<ConnectionInfo> filter, Duration timeout) {
        requireFilter(filter);
        return new PooledLease<>(engine, engine.acquire(nanos(timeout), filter));
    }

    @Override
    public Lease<C> acquireFresh() {
        return new PooledLease<>(engine, engine.acquireFresh(timeoutNanos));
    }

    @Override
    public <T> T withConnection(ConnectionCallback<C, T> callback) {
        return engine.withConnection(timeoutNanos, null, callback);
    }

    @Override
    public <T> T withConnection(Predicate<ConnectionInfo> filter, ConnectionCallback<C, T> callback) {
        requireFilter(filter);
        return engine.withConnection(timeoutNanos, filter, callback);
    }

    @Override
    public <M, R> List<R> sendBatch(List<M> messages, BatchFunction<C, M, R> function) {
        return engine.sendBatch(timeoutNanos, messages, function);
    }

    @Override
    public <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function) {
        return engine.sendBatchParallel(timeoutNanos, messages, function, null);
    }

    @Override
    public <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function, Executor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        return engine.sendBatchParallel(timeoutNanos, messages, function, executor);
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public List<ConnectionInfo> connections() {
        return engine.connections();
    }

    @Override
    public int evictIdle() {
        return engine.evictIdle();
    }

    @Override
    public void drain() {
        engine.drain();
    }

    @Override
    public void resize(int maxSize) {
        engine.resize(maxSize);
    }

    @Override
    public void pause() {
        engine.pause();
    }

    @Override
    public void resume() {
        engine.resume();
    }

    @Override
    public boolean isPaused() {
        return engine.isPaused();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public void close() {
        engine.close(-1);
    }

    @Override
    public void close(Duration grace) {
        engine.close(nanos(grace));
    }

    @Override
    public String toString() {
        return "Pool[" + engine.name() + "]";
    }

    private static long nanos(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new InvalidConfigException("timeout", duration, "a duration of zero or more");
        }
        return duration.toNanos();
    }

    private static void requireFilter(Predicate<ConnectionInfo> filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
    }
}
