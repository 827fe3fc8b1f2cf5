package io.connpool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The pools of an application by name; what {@link PoolTemplate}, the actuator and metrics work over. */
public final class PoolRegistry {

    private final Map<String, ManagedPool> pools;
    private final Map<String, Class<?>> connectionTypes;

    public PoolRegistry(Map<String, ? extends ManagedPool> pools) {
        this(pools, Map.of());
    }

    /**
     * Pools with what is known of their connection types: for a pool named in {@code connectionTypes},
     * every connection is an instance of that type (the declared type of its factory, say), which lets
     * {@link PoolTemplate#pool(String, Class)} check a typed handle when it is looked up.
     */
    public PoolRegistry(Map<String, ? extends ManagedPool> pools, Map<String, Class<?>> connectionTypes) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        for (Map.Entry<String, Class<?>> entry : connectionTypes.entrySet()) {
            if (!this.pools.containsKey(entry.getKey())) {
                throw new IllegalArgumentException("connection type " + entry.getValue().getName() + " given for pool '"
                        + entry.getKey() + "', which is not among the pools " + this.pools.keySet());
            }
        }
        this.connectionTypes = Map.copyOf(connectionTypes);
    }

    /** The pool named {@code name}; a {@link PoolException} listing the known names if there is none. */
    public ManagedPool get(String name) {
        ManagedPool pool = pools.get(name);
        if (pool == null) {
            throw new PoolException("No pool named '" + name + "'; the pools are " + pools.keySet());
        }
        return pool;
    }

    /** The type every connection of pool {@code name} is an instance of, if known; otherwise null. */
    public Class<?> connectionType(String name) {
        return connectionTypes.get(name);
    }

    public Set<String> names() {
        return pools.keySet();
    }

    public Map<String, ManagedPool> pools() {
        return pools;
    }
}
