package io.connpool.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The effective settings (defaults merged with each pool's own) of the pools built from configuration. */
public final class PoolDefinitions {

    private final Map<String, PoolProperties> pools;

    PoolDefinitions(Map<String, PoolProperties> pools) {
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    public Map<String, PoolProperties> pools() {
        return pools;
    }

    public PoolProperties get(String name) {
        return pools.get(name);
    }
}
