package io.connpool.autoconfigure.metrics;

import io.connpool.ManagedPool;
import io.connpool.PoolListener;
import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.PoolListenerProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Micrometer meters of every pool, tagged {@code pool=<name>}: gauges read from the pool's
 * figures when scraped ({@code connpool.connections} by {@code state}, {@code .max}, {@code .min}),
 * and timers and counters fed by a listener on each pool built from configuration
 * ({@code connpool.acquire}, {@code connpool.usage}, {@code connpool.connections.creation},
 * {@code connpool.connections.timeout}, {@code connpool.calls} by {@code outcome}). The listener only
 * records once the registry has bound the meters; it never looks a bean up on the pool's threads.
 *
 * <p>The listener costs a checkout almost nothing, so that a Spring user's pool runs as fast as a
 * bare one (the README's Performance section has the figures): a timer's record takes a clock read
 * and a few atomic updates, more than a whole checkout, so neither timer records every checkout.
 * {@code connpool.acquire} records the acquires that waited (one that found a connection idle
 * took no time worth timing, and recording its zero would only hide the slow ones in the mean and
 * percentiles); {@code connpool.usage} records a sample, at most one checkout per connection per
 * quarter second ({@link PoolListener#samplesUsage}), every checkout of a quiet pool.
 */
public class PoolMetrics implements MeterBinder, PoolListenerProvider {

    private final ObjectProvider<PoolRegistry> registry;
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();

    public PoolMetrics(ObjectProvider<PoolRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        PoolRegistry pools = registry.getIfAvailable();
        if (pools == null) {
            return;
        }
        pools.pools().forEach((name, pool) -> {
            gauge(meters, "connpool.connections", name, pool, "active", p -> p.stats().inUse());
            gauge(meters, "connpool.connections", name, pool, "idle", p -> p.stats().idle());
            gauge(meters, "connpool.connections", name, pool, "pending", p -> p.stats().pending());
            Gauge.builder("connpool.connections.max", pool, p -> p.stats().maxSize()).tag("pool", name)
                    .description("Cap on live connections").register(meters);
            Gauge.builder("connpool.connections.min", pool, p -> p.stats().minIdle()).tag("pool", name)
                    .description("Connections kept open in the background").register(meters);
            recorders.computeIfAbsent(name, n -> new Recorder()).bind(meters, name);
        });
    }

    private static void gauge(MeterRegistry meters, String meter, String pool, ManagedPool target, String state,
                              java.util.function.ToDoubleFunction<ManagedPool> value) {
        Gauge.builder(meter, target, value).tag("pool", pool).tag("state", state)
                .description("Connections of the pool by state (pending: callers waiting)").register(meters);
    }

    @Override
    public PoolListener listenerFor(String poolName) {
        return recorders.computeIfAbsent(poolName, n -> new Recorder());
    }

    /**
     * The push side: a pool's listener, recording into its meters. A pool is built, and starts
     * opening its minimum of connections, before the registry binds the meters; what happens in
     * between is kept (up to {@link #EARLY_EVENTS}) and recorded at binding, so that the
     * connections opened at start-up count. Once bound, recording takes no lock and allocates
     * nothing.
     */
    static final class Recorder implements PoolListener {

        /** Bound on what is kept before binding: ample for a start-up's warm-up, finite if binding never comes. */
        static final int EARLY_EVENTS = 10_000;

        private static final String CALLS_DESCRIPTION =
                "Callbacks run on a connection (withConnection, batch messages), by outcome (failure: the callback threw)";

        private volatile Meters meters;
        private List<Consumer<Meters>> early = new ArrayList<>();

        void bind(MeterRegistry registry, String pool) {
            Meters bound = new Meters(
                    Timer.builder("connpool.acquire").tag("pool", pool)
                            .description("Time callers waited for a connection (only acquires that waited: one that found a connection idle is not recorded)")
                            .publishPercentiles(0.5, 0.95, 0.99)
                            .register(registry),
                    Timer.builder("connpool.usage").tag("pool", pool)
                            .description("Time a connection was held (a sample: at most one checkout per connection per 250 ms)")
                            .register(registry),
                    Timer.builder("connpool.connections.creation").tag("pool", pool).description("Time to open a connection").register(registry),
                    Counter.builder("connpool.connections.timeout").tag("pool", pool).description("Acquisitions that timed out").register(registry),
                    Counter.builder("connpool.calls").tag("pool", pool).tag("outcome", "success")
                            .description(CALLS_DESCRIPTION).register(registry),
                    Counter.builder("connpool.calls").tag("pool", pool).tag("outcome", "failure")
                            .description(CALLS_DESCRIPTION).register(registry));
            synchronized (this) {
                if (early != null) {
                    early.forEach(event -> event.accept(bound));
                    early = null;
                }
                meters = bound;
            }
        }

        /** Before binding: keeps the event for {@link #bind}, or records it if binding just happened. */
        private void beforeBinding(Consumer<Meters> event) {
            Meters m;
            synchronized (this) {
                m = meters;
                if (m == null) {
                    if (early.size() < EARLY_EVENTS) {
                        early.add(event);
                    }
                    return;
                }
            }
            event.accept(m);
        }

        @Override
        public void onAcquired(long waitNanos) {
            if (waitNanos == 0) {
                return; // found a connection idle: see the class comment
            }
            Meters m = meters;
            if (m != null) {
                m.acquire.record(waitNanos, TimeUnit.NANOSECONDS);
            } else {
                beforeBinding(bound -> bound.acquire.record(waitNanos, TimeUnit.NANOSECONDS));
            }
        }

        @Override
        public boolean samplesUsage() {
            return true;
        }

        @Override
        public void onReleased(long usageNanos) {
            Meters m = meters;
            if (m != null) {
                m.usage.record(usageNanos, TimeUnit.NANOSECONDS);
            } else {
                beforeBinding(bound -> bound.usage.record(usageNanos, TimeUnit.NANOSECONDS));
            }
        }

        @Override
        public void onConnectionCreated(io.connpool.ConnectionInfo connection, long connectNanos) {
            Meters m = meters;
            if (m != null) {
                m.creation.record(connectNanos, TimeUnit.NANOSECONDS);
            } else {
                beforeBinding(bound -> bound.creation.record(connectNanos, TimeUnit.NANOSECONDS));
            }
        }

        @Override
        public void onAcquireTimeout(long waitNanos) {
            Meters m = meters;
            if (m != null) {
                m.timeouts.increment();
            } else {
                beforeBinding(bound -> bound.timeouts.increment());
            }
        }

        @Override
        public void onOperation(boolean success) {
            Meters m = meters;
            if (m != null) {
                (success ? m.successes : m.failures).increment();
            } else {
                beforeBinding(bound -> (success ? bound.successes : bound.failures).increment());
            }
        }
    }

    record Meters(Timer acquire, Timer usage, Timer creation, Counter timeouts, Counter successes, Counter failures) {
    }
}
