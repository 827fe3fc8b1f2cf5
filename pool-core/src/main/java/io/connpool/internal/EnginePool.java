package io.connpool.internal;

import io.connpool.BatchFunction;
import io.connpool.BatchResult;
import io.connpool.ConnectionCallback;
import io.connpool.ConnectionFactory;
import io.connpool.ConnectionInfo;
import io.connpool.InvalidConfigException;
import io.connpool.Lease;
import io.connpool.ManagedPool;
import io.connpool.PoolStats;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * What {@link ExclusivePool} and {@link SharedConnectionPool} share: one engine behind the using,
 * watching and managing faces of a pool of one destination.
 */
abstract class EnginePool<C> implements ManagedPool {

    final Engine<C> engine;
    final long timeoutNanos;
    private final PoolConfig config;
    private final Map<String, Object> kindSettings;
    private final ConnectionFactory<C> factory;

    /** {@code kindSettings}: the settings only this kind of pool has, shown after its sizes. */
    EnginePool(Engine<C> engine, PoolConfig config, Map<String, Object> kindSettings, ConnectionFactory<C> factory) {
        this.engine = engine;
        this.timeoutNanos = config.acquireTimeoutNanos();
        this.config = config;
        this.kindSettings = Collections.unmodifiableMap(new LinkedHashMap<>(kindSettings)); // in the builder's order
        this.factory = factory;
    }

    /** The engine, for tests that drive housekeeping by hand. */
    public Engine<C> engine() {
        return engine;
    }

    public Lease<C> acquire() {
        return engine.lease(engine.acquire(timeoutNanos));
    }

    public Lease<C> acquire(Duration timeout) {
        return engine.lease(engine.acquire(nanos(timeout)));
    }

    public <T> T withConnection(ConnectionCallback<C, T> callback) {
        return engine.withConnection(timeoutNanos, null, callback);
    }

    public <T> T withConnection(Predicate<ConnectionInfo> filter, ConnectionCallback<C, T> callback) {
        requireFilter(filter);
        return engine.withConnection(timeoutNanos, filter, callback);
    }

    public <M, R> List<R> sendBatch(List<M> messages, BatchFunction<C, M, R> function) {
        return engine.sendBatch(timeoutNanos, messages, function);
    }

    public <M, R> BatchResult<R> sendBatchParallel(List<M> messages, BatchFunction<C, M, R> function) {
        return engine.sendBatchParallel(timeoutNanos, messages, function, null);
    }

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
    public Map<String, Object> settings() {
        PoolStats stats = engine.stats(); // the sizes as resized since the pool was built
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("maxSize", stats.maxSize());
        sizes.put("minIdle", stats.minIdle());
        sizes.put("maxIdle", Math.min(config.maxIdle(), stats.maxSize())); // what trimming keeps, after a shrink too
        sizes.putAll(kindSettings);
        return EffectiveSettings.of(sizes, config, UserCode.settings(factory, engine.name()));
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

    static long nanos(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new InvalidConfigException("timeout", duration, "a duration of zero or more");
        }
        return Saturating.toNanos(duration);
    }

    static void requireFilter(Predicate<ConnectionInfo> filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null");
        }
    }
}
