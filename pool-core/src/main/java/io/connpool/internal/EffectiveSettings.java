package io.connpool.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of a built pool as its builder names them, with the values in effect: defaults filled
 * in ({@code maxIdle} is {@code maxSize} unless set, an unset {@code maxPending} is
 * {@code Integer.MAX_VALUE}: no limit), durations as the pool holds them (a huge one capped at about
 * 73 years), sizes as resized since. What a user reads in the actuator is then what the pool does, not
 * what a properties file said. Listeners, the ticker and the broken-connection rule are code, not
 * values, and are left out.
 */
final class EffectiveSettings {

    private EffectiveSettings() {
    }

    /**
     * {@code sizes} (the kind's own settings, first), then the settings every kind shares, then the
     * factory's own; a factory setting named like one of the pool's is dropped, so that the pool's
     * figure is never hidden behind a factory's.
     */
    static Map<String, Object> of(Map<String, Object> sizes, PoolConfig config, Map<String, Object> factory) {
        Map<String, Object> settings = new LinkedHashMap<>(sizes);
        settings.put("acquireTimeout", duration(config.acquireTimeoutNanos()));
        settings.put("maxPending", config.maxPending());
        settings.put("handOffAfter", duration(config.handOffAfterNanos()));
        settings.put("idleTimeout", duration(config.idleTimeoutNanos()));
        settings.put("maxLifetime", duration(config.maxLifetimeNanos()));
        settings.put("validateOnBorrow", config.validateOnBorrow());
        settings.put("validateAfterInactivity", duration(config.validateAfterInactivityNanos()));
        settings.put("validationTimeout", duration(config.validationTimeoutNanos()));
        settings.put("keepaliveInterval", duration(config.keepaliveNanos()));
        settings.put("revive", config.revive());
        settings.put("leakDetectionThreshold", duration(config.leakDetectionNanos()));
        settings.put("connectBackoffInitial", duration(config.backoffInitialNanos()));
        settings.put("connectBackoffMax", duration(config.backoffMaxNanos()));
        settings.put("maxConnecting", config.maxConnecting());
        settings.put("tags", Collections.unmodifiableMap(new TreeMap<>(config.tags()))); // held unordered; sorted reads better
        factory.forEach(settings::putIfAbsent);
        return Collections.unmodifiableMap(settings);
    }

    private static Duration duration(long nanos) {
        return Duration.ofNanos(nanos);
    }
}
