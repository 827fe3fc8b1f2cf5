package io.connpool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The pools of an application by name; what {@link PoolTemplate}, the actuator and metrics work over. */
public final class PoolRegistry {

    private final Map<String, ManagedPool> pools;

    public PoolRegistry(Map<String, ? extends ManagedPool> pools) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** The pool named {@code name}; a {@link PoolException} listing the known names if there is none. */
    public ManagedPool get(String name) {
        ManagedPool pool = pools.get(name);
        if (pool == null) {
            throw new PoolException("No pool named '" + name + "'; the pools are " + pools.keySet());
        }
        return pool;
    }

    public Set<String> names() {
        return pools.keySet();
    }

    public Map<String, ManagedPool> pools() {
        return pools;
    }
}
