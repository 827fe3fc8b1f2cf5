package io.connpool.autoconfigure;

import io.connpool.CircuitState;
import io.connpool.ManagedPool;
import io.connpool.PoolStats;
import io.connpool.Secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a pool can serve, told apart from whether it is busy: saturation is not an outage. Read
 * from the pool's figures only; no connection is borrowed to find out (Spring Boot's {@code db}
 * indicator borrows one, and reports DOWN under load).
 */
public record PoolCondition(Status status, Map<String, Object> details) {

    public enum Status {
        /** Serving, even when every connection is busy. */
        UP,
        /** No live connection, and opening one is failing. */
        DOWN,
        /** Paused or closed by its operators. */
        OUT_OF_SERVICE
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
        details.put("circuit", stats.circuit().name());
        if (stats.lastError() != null) {
            details.put("lastError", Secrets.redact(stats.lastError()));
            details.put("lastErrorAt", String.valueOf(stats.lastErrorAt()));
        }
        if (pool.isClosed()) {
            details.put("state", "closed");
            return new PoolCondition(Status.OUT_OF_SERVICE, details);
        }
        if (pool.isPaused()) {
            details.put("state", "paused");
            return new PoolCondition(Status.OUT_OF_SERVICE, details);
        }
        if (stats.total() == 0 && stats.circuit() != CircuitState.CLOSED) {
            return new PoolCondition(Status.DOWN, details);
        }
        return new PoolCondition(Status.UP, details);
    }

    public boolean healthy() {
        return status == Status.UP;
    }
}
