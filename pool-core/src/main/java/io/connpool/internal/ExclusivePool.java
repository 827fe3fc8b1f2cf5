package io.connpool.internal;

import io.connpool.ConnectionFactory;
import io.connpool.ConnectionInfo;
import io.connpool.Lease;
import io.connpool.Pool;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** {@link Pool}: the engine with one call per connection. */
public final class ExclusivePool<C> extends EnginePool<C> implements Pool<C> {

    public ExclusivePool(PoolConfig config, ConnectionFactory<C> factory) {
        super(new Engine<>(config, factory, 1), config, Map.of(), factory);
    }

    @Override
    public Lease<C> acquire(Predicate<ConnectionInfo> filter) {
        return acquire(filter, Duration.ofNanos(timeoutNanos));
    }

    @Override
    public Lease<C> acquire(Predicate<ConnectionInfo> filter, Duration timeout) {
        requireFilter(filter);
        return engine.lease(engine.acquire(nanos(timeout), filter));
    }

    @Override
    public Lease<C> acquireFresh() {
        return engine.lease(engine.acquireFresh(timeoutNanos));
    }

    @Override
    public String toString() {
        return "Pool[" + engine.name() + "]";
    }
}
