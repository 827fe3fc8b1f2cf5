package io.connpool.internal;

import io.connpool.ConnectionFactory;
import io.connpool.Routing;
import io.connpool.SharedPool;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link SharedPool}: the engine with up to {@code maxCallsPerConnection} calls per connection. */
public final class SharedConnectionPool<C> extends EnginePool<C> implements SharedPool<C> {

    /**
     * The most calls one connection can count: a slot's state word holds them below its RETIRING bit.
     * One more would set that bit, and a retiring connection would look like one with room.
     */
    public static final int MAX_CALLS_PER_CONNECTION = Slot.CALLS;

    public SharedConnectionPool(PoolConfig config, ConnectionFactory<C> factory, int maxCallsPerConnection,
                                Routing routing) {
        this(config, factory, maxCallsPerConnection, router(routing), routing);
    }

    /** With an engine router of choice, for benchmarks comparing routers that Routing does not offer. */
    public SharedConnectionPool(PoolConfig config, ConnectionFactory<C> factory, int maxCallsPerConnection,
                                Engine.Router router) {
        this(config, factory, maxCallsPerConnection, router, router);
    }

    /** {@code shownRouting}: the routing as the builder named it, for {@link #settings()}. */
    private SharedConnectionPool(PoolConfig config, ConnectionFactory<C> factory, int maxCallsPerConnection,
                                 Engine.Router router, Object shownRouting) {
        super(new Engine<>(config, factory, Math.min(maxCallsPerConnection, MAX_CALLS_PER_CONNECTION), router), config,
                kindSettings(Math.min(maxCallsPerConnection, MAX_CALLS_PER_CONNECTION), shownRouting), factory);
    }

    private static Map<String, Object> kindSettings(int maxCallsPerConnection, Object routing) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("maxCallsPerConnection", maxCallsPerConnection);
        settings.put("routing", routing);
        return settings;
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
