package io.connpool.autoconfigure;

import io.connpool.ManagedPool;
import io.connpool.PoolException;
import io.connpool.PoolRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Closes the pools gracefully on shutdown: after the web server has finished its requests (a lower
 * phase stops later), each pool waits up to {@code connpool.shutdown-timeout} (shared by all) for its
 * connections in use to be returned, then closes them. Any timeout from zero to {@code ChronoUnit.FOREVER}
 * works; a negative one stops start-up.
 */
class PoolsLifecycle implements SmartLifecycle {

    /** Below the web server's graceful-shutdown and stop phases: the pools stop after it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(PoolsLifecycle.class);

    private final PoolRegistry registry;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    PoolsLifecycle(PoolRegistry registry, Duration shutdownTimeout) {
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new PoolConfigurationException("connpool.shutdown-timeout",
                    shutdownTimeout == null ? null : PoolCreator.asWritten(shutdownTimeout), "a duration of zero or more");
        }
        this.registry = registry;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        // Kept as a Duration, never nanoseconds: a timeout of ChronoUnit.FOREVER has ~10^27 of them.
        // Each pool clamps what it gets to what it can wait (about 73 years).
        long start = System.nanoTime();
        for (ManagedPool pool : registry.pools().values()) {
            Duration left = shutdownTimeout.minusNanos(System.nanoTime() - start);
            try {
                pool.close(left.isNegative() ? Duration.ZERO : left);
            } catch (PoolException e) {
                log.warn("Closing pool '{}' reported errors", pool.name(), e);
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
