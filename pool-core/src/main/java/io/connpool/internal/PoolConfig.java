package io.connpool.internal;

import io.connpool.PoolListener;
import io.connpool.Ticker;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The validated settings of one pool, durations in nanoseconds (0 meaning "off" where the builder says
 * so). Built by the public builders, which check every value; durations are held to
 * {@link Saturating#FOREVER_NANOS} whoever builds it, so that the engine may add any of them to a
 * reading of the clock.
 */
public record PoolConfig(String name, int maxSize, int minIdle, int maxIdle, long acquireTimeoutNanos,
                         int maxPending, long idleTimeoutNanos, long maxLifetimeNanos,
                         boolean validateOnBorrow, long validateAfterInactivityNanos, long keepaliveNanos,
                         boolean revive, long leakDetectionNanos, List<PoolListener> listeners, Ticker ticker,
                         long backoffInitialNanos, long backoffMaxNanos, int maxConnecting,
                         Predicate<Throwable> brokenWhen, Map<String, String> tags, long handOffAfterNanos,
                         long validationTimeoutNanos) {

    public PoolConfig {
        acquireTimeoutNanos = Saturating.clamp(acquireTimeoutNanos);
        idleTimeoutNanos = Saturating.clamp(idleTimeoutNanos);
        maxLifetimeNanos = Saturating.clamp(maxLifetimeNanos);
        validateAfterInactivityNanos = Saturating.clamp(validateAfterInactivityNanos);
        keepaliveNanos = Saturating.clamp(keepaliveNanos);
        leakDetectionNanos = Saturating.clamp(leakDetectionNanos);
        backoffInitialNanos = Saturating.clamp(backoffInitialNanos);
        backoffMaxNanos = Saturating.clamp(backoffMaxNanos);
        handOffAfterNanos = Saturating.clamp(handOffAfterNanos);
        validationTimeoutNanos = Saturating.clamp(validationTimeoutNanos);
        listeners = List.copyOf(listeners);
        tags = Map.copyOf(tags);
    }
}
