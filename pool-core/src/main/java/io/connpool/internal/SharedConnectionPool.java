package io.connpool.internal;

import io.connpool.ConnectionFactory;
import io.connpool.Routing;
import io.connpool.SharedPool;

/** {@link SharedPool}: the engine with up to {@code maxCallsPerConnection} calls per connection. */
public final class SharedConnectionPool<C> extends EnginePool<C> implements SharedPool<C> {

    /**
     * The most calls one connection can count: a slot's state word holds them below its RETIRING bit.
     * One more would set that bit, and a retiring connection would look like one with room.
     */
    public static final int MAX_CALLS_PER_CONNECTION = Slot.CALLS;

    public SharedConnectionPool(PoolConfig config, ConnectionFactory<C> factory, int maxCallsPerConnection,
                                Routing routing) {
        this(config, factory, maxCallsPerConnection, router(routing));
    }

    /** With an engine router of choice, for benchmarks comparing routers that Routing does not offer. */
    public SharedConnectionPool(PoolConfig config, ConnectionFactory<C> factory, int maxCallsPerConnection,
                                Engine.Router router) {
        super(new Engine<>(config, factory, Math.min(maxCallsPerConnection, MAX_CALLS_PER_CONNECTION), router), config);
    }

    static Engine.Router router(Routing routing) {
        switch (routing) {
            case ROUND_ROBIN:
                return Engine.Router.ROUND_ROBIN;
            case RANDOM:
                return Engine.Router.TWO_CHOICES;
            default:
                return Engine.Router.LEAST_IN_FLIGHT;
        }
    }

    @Override
    public String toString() {
        return "SharedPool[" + engine.name() + "]";
    }
}
