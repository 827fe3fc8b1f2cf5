package io.connpool.autoconfigure.endpoint;

import io.connpool.ConnectionInfo;
import io.connpool.KeyedPool;
import io.connpool.ManagedPool;
import io.connpool.PoolRegistry;
import io.connpool.PoolStats;
import io.connpool.Secrets;
import io.connpool.SharedPool;
import io.connpool.autoconfigure.PoolCondition;
import io.connpool.autoconfigure.PoolDefinitions;
import io.connpool.autoconfigure.PoolProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /actuator/pools}: every pool's figures, one pool's settings and connections, and the
 * managing actions. Read-only unless the user grants more ({@code management.endpoint.pools.access=unrestricted}).
 */
@Endpoint(id = "pools", defaultAccess = Access.READ_ONLY)
public class PoolsEndpoint {

    private final PoolRegistry registry;
    private final PoolDefinitions definitions;

    public PoolsEndpoint(PoolRegistry registry, @Nullable PoolDefinitions definitions) {
        this.registry = registry;
        this.definitions = definitions;
    }

    /** Every pool: its figures, mode and health. */
    @ReadOperation
    public Map<String, Object> pools() {
        Map<String, Object> pools = new LinkedHashMap<>();
        registry.pools().forEach((name, pool) -> {
            Map<String, Object> summary = stats(pool.stats());
            summary.put("mode", mode(pool));
            summary.put("healthy", PoolCondition.of(pool).healthy());
            pools.put(name, summary);
        });
        return Map.of("pools", pools);
    }

    /** One pool: figures, health, settings (secrets masked) and every connection. 404 for an unknown name. */
    @ReadOperation
    public @Nullable Map<String, Object> pool(@Selector String name) {
        ManagedPool pool = registry.pools().get(name);
        if (pool == null) {
            return null;
        }
        PoolCondition condition = PoolCondition.of(pool);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("mode", mode(pool));
        body.put("healthy", condition.healthy());
        body.put("status", condition.status().name());
        body.put("stats", stats(pool.stats()));
        body.put("settings", settings(name));
        body.put("connections", pool.connections().stream().map(PoolsEndpoint::shown).toList());
        return body;
    }

    /**
     * Manages one pool: {@code {"action": "evict-idle" | "drain" | "resize" | "pause" | "resume", "maxSize": 12}}.
     * Returns the pool's figures after the action.
     */
    @WriteOperation
    public Map<String, Object> manage(@Selector String name, String action, @Nullable Integer maxSize) {
        ManagedPool pool = registry.pools().get(name);
        if (pool == null) {
            throw new InvalidEndpointRequestException("No pool named '" + name + "'; the pools are " + registry.names(),
                    "unknown pool");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pool", name);
        result.put("action", action);
        switch (action == null ? "" : action.toLowerCase(Locale.ROOT)) {
            case "evict-idle" -> result.put("evicted", pool.evictIdle());
            case "drain" -> pool.drain();
            case "resize" -> {
                if (maxSize == null || maxSize < 1) {
                    throw new InvalidEndpointRequestException("resize needs \"maxSize\" of at least 1, but was " + maxSize,
                            "bad maxSize");
                }
                pool.resize(maxSize);
            }
            case "pause" -> pool.pause();
            case "resume" -> pool.resume();
            default -> throw new InvalidEndpointRequestException("Unknown action '" + action
                    + "'; use evict-idle, drain, resize (with maxSize), pause or resume", "unknown action");
        }
        result.put("stats", stats(pool.stats()));
        return result;
    }

    static String mode(ManagedPool pool) {
        return pool instanceof KeyedPool ? "keyed" : pool instanceof SharedPool ? "shared" : "exclusive";
    }

    static Map<String, Object> stats(PoolStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", s.total());
        m.put("idle", s.idle());
        m.put("inUse", s.inUse());
        m.put("pending", s.pending());
        m.put("maxSize", s.maxSize());
        m.put("minIdle", s.minIdle());
        m.put("created", s.created());
        m.put("destroyed", s.destroyed());
        m.put("createFailures", s.createFailures());
        m.put("successfulOperations", s.successfulOperations());
        m.put("failedOperations", s.failedOperations());
        m.put("timeouts", s.timeouts());
        m.put("inFlight", s.inFlight());
        m.put("creating", s.creating());
        m.put("leaks", s.leaks());
        m.put("circuit", s.circuit().name());
        m.put("lastError", Secrets.redact(s.lastError()));
        m.put("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
        return m;
    }

    private Map<String, Object> settings(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        PoolProperties p = definitions == null ? null : definitions.get(name);
        if (p == null) {
            return m; // a pool bean of the user's own, not from configuration
        }
        m.put("type", p.getType());
        m.put("factory", p.getFactory());
        m.put("address", Secrets.maskUserInfo(p.getAddress()));
        m.put("sslBundle", p.getSslBundle());
        m.put("mode", p.getMode().name().toLowerCase(Locale.ROOT));
        m.put("keyed", p.isKeyed());
        m.put("maxSize", p.getMaxSize());
        m.put("minIdle", p.getMinIdle());
        m.put("maxIdle", p.getMaxIdle());
        m.put("maxPerKey", p.getMaxPerKey());
        m.put("acquireTimeout", p.getAcquireTimeout().toString());
        m.put("maxPending", p.getMaxPending());
        m.put("handOffAfter", p.getHandOffAfter().toString());
        m.put("idleTimeout", p.getIdleTimeout().toString());
        m.put("maxLifetime", p.getMaxLifetime().toString());
        m.put("validateOnBorrow", p.isValidateOnBorrow());
        m.put("validateAfterInactivity", p.getValidateAfterInactivity().toString());
        m.put("validationTimeout", p.getValidationTimeout().toString());
        m.put("keepaliveInterval", p.getKeepaliveInterval().toString());
        m.put("revive", p.isRevive());
        m.put("leakDetectionThreshold", p.getLeakDetectionThreshold().toString());
        m.put("maxCallsPerConnection", p.getMaxCallsPerConnection());
        m.put("routing", p.getRouting().name());
        m.put("tags", masked(p.getTags()));
        Map<String, Object> shown = new LinkedHashMap<>();
        m.forEach((setting, value) -> shown.put(setting, Secrets.shown(setting, value)));
        return shown;
    }

    /** A connection as the endpoint shows it: tags named like secrets masked, by the same rule as the settings. */
    private static ConnectionInfo shown(ConnectionInfo c) {
        Object key = c.key() instanceof String ? Secrets.redact((String) c.key()) : c.key();
        return new ConnectionInfo(c.id(), key, c.state(), c.createdAt(), c.lastUsedAt(), c.useCount(), c.inFlight(),
                masked(c.tags()), c.leakSuspected());
    }

    private static Map<String, String> masked(Map<String, String> tags) {
        Map<String, String> shown = new LinkedHashMap<>();
        tags.forEach((name, value) -> shown.put(name, String.valueOf(Secrets.shown(name, value))));
        return shown;
    }
}
