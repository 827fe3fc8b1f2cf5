package io.connpool.autoconfigure;

import io.connpool.CircuitState;
import io.connpool.KeyedPool;
import io.connpool.ManagedPool;
import io.connpool.PoolStats;
import io.connpool.Secrets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a pool can serve, told apart from whether it is busy: saturation is not an outage. Read
 * from the pool's figures only; no connection is borrowed to find out (Spring Boot's {@code db}
 * indicator borrows one, and reports DOWN under load).
 *
 * <p>A keyed pool is judged per destination: a key is down when it has no live connection and
 * opening one is failing, and the pool is DOWN only when every key it knows is down. One dead
 * destination among live ones leaves the pool UP (its callers to the other keys are served) and is
 * named in the details, with its circuit and its last error; the pool-wide {@code circuit} (the worst
 * key's) is left out of a keyed pool's details, where it read as the pool's own.
 *
 * @param keys a keyed pool's destinations, the down ones first; empty for other pools
 */
public record PoolCondition(Status status, Map<String, Object> details, List<KeyCondition> keys) {

    public enum Status {
        /** Serving, even when every connection is busy. */
        UP,
        /** No live connection, and opening one is failing (for a keyed pool: so for every key). */
        DOWN,
        /** Paused or closed by its operators. */
        OUT_OF_SERVICE
    }

    /** One destination of a keyed pool: its key as shown (credentials masked), whether it is down, and its figures. */
    public record KeyCondition(String key, Status status, PoolStats stats) {

        /** In words, for the person on call: why the key is down. */
        public String explanation() {
            StringBuilder words = new StringBuilder(status == Status.DOWN ? "no live connection, circuit " : "circuit ")
                    .append(stats.circuit());
            if (stats.lastError() != null) {
                words.append("; last failure").append(stats.lastErrorAt() == null ? "" : " at " + stats.lastErrorAt())
                        .append(": ").append(Secrets.redact(stats.lastError()));
            }
            return words.toString();
        }
    }

    public static PoolCondition of(ManagedPool pool) {
        PoolStats stats = pool.stats();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("total", stats.total());
        details.put("inUse", stats.inUse());
        details.put("idle", stats.idle());
        details.put("pending", stats.pending());
        details.put("maxSize", stats.maxSize());
        details.put("utilization", Math.round(stats.utilization() * 100) / 100.0);
        details.put("timeouts", stats.timeouts());
        boolean down;
        List<KeyCondition> keys = List.of();
        if (pool instanceof KeyedPool) {
            keys = keys((KeyedPool<?, ?>) pool);
            Map<String, String> downKeys = new LinkedHashMap<>();
            keys.stream().filter(k -> k.status() == Status.DOWN).forEach(k -> downKeys.put(k.key(), k.explanation()));
            details.put("keys", keys.size());
            details.put("keysDown", downKeys.size());
            if (!downKeys.isEmpty()) {
                details.put("downKeys", downKeys);
            }
            down = !keys.isEmpty() && downKeys.size() == keys.size();
        } else {
            details.put("circuit", stats.circuit().name());
            if (stats.lastError() != null) {
                details.put("lastError", Secrets.redact(stats.lastError()));
                details.put("lastErrorAt", String.valueOf(stats.lastErrorAt()));
            }
            down = isDown(stats);
        }
        if (pool.isClosed()) {
            details.put("state", "closed");
            return new PoolCondition(Status.OUT_OF_SERVICE, details, keys);
        }
        if (pool.isPaused()) {
            details.put("state", "paused");
            return new PoolCondition(Status.OUT_OF_SERVICE, details, keys);
        }
        return new PoolCondition(down ? Status.DOWN : Status.UP, details, keys);
    }

    /** Every key the pool knows, the down ones first, then by key. */
    private static List<KeyCondition> keys(KeyedPool<?, ?> pool) {
        List<KeyCondition> keys = new ArrayList<>();
        for (Object key : pool.keys()) {
            PoolStats stats = statsOf(pool, key);
            // a key is the caller's (a URI, say): its user info shows nowhere
            keys.add(new KeyCondition(Secrets.redact(String.valueOf(key)), isDown(stats) ? Status.DOWN : Status.UP, stats));
        }
        keys.sort(Comparator.comparing((KeyCondition k) -> k.status() != Status.DOWN).thenComparing(KeyCondition::key));
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static <K> PoolStats statsOf(KeyedPool<K, ?> pool, Object key) {
        return pool.stats((K) key);
    }

    /** No live connection, and opening one is failing. */
    private static boolean isDown(PoolStats stats) {
        return stats.total() == 0 && stats.circuit() != CircuitState.CLOSED;
    }

    public boolean healthy() {
        return status == Status.UP;
    }
}
