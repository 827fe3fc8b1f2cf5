package io.connpool.internal;

import io.connpool.PoolListener;
import io.connpool.Ticker;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The validated settings of one pool, durations in nanoseconds (0 meaning "off" where the builder says
 * so). Built only by the public builders, which check every value.
 */
public record PoolConfig(String name, int maxSize, int minIdle, int maxIdle, long acquireTimeoutNanos,
                         int maxPending, long idleTimeoutNanos, long maxLifetimeNanos,
                         boolean validateOnBorrow, long validateAfterInactivityNanos, long keepaliveNanos,
                         boolean revive, long leakDetectionNanos, List<PoolListener> listeners, Ticker ticker,
                         long backoffInitialNanos, long backoffMaxNanos, int maxConnecting,
                         Predicate<Throwable> brokenWhen, Map<String, String> tags, long handOffAfterNanos,
                         long validationTimeoutNanos) {

    public PoolConfig {
        listeners = List.copyOf(listeners);
        tags = Map.copyOf(tags);
    }
}
