package io.connpool.internal;

import io.connpool.BatchFunction;
import io.connpool.BatchResult;
import io.connpool.CircuitState;
import io.connpool.ConnectionCallback;
import io.connpool.ConnectionFactory;
import io.connpool.ConnectionInfo;
import io.connpool.InvalidConfigException;
import io.connpool.KeyedConnectionFactory;
import io.connpool.KeyedPool;
import io.connpool.Lease;
import io.connpool.PoolClosedException;
import io.connpool.PoolException;
import io.connpool.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link KeyedPool}: one {@link Engine} per key, created on first use and forgotten when it holds
 * nothing, all sharing a {@link TotalCapacity}. A key's operations touch only its own engine (one
 * hash lookup away), so their cost does not grow with the number of keys; one housekeeping task
 * serves every key.
 */
public final class KeyedExclusivePool<K, C> implements KeyedPool<K, C> {

    private static final Logger log = LoggerFactory.getLogger(KeyedExclusivePool.class);

    private final String name;
    private final Function<Object, PoolConfig> configFor;
    private final KeyedConnectionFactory<K, C> factory;
    private final PoolConfig template;
    private final long timeoutNanos;
    private final TotalCapacity total;
    private final ConcurrentHashMap<K, Engine<C>> engines = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> housekeeper;
    private volatile boolean closed;
    private volatile boolean paused;

    /** Figures of forgotten keys, so that the totals since start never go down. */
    private final AtomicLong forgottenCreated = new AtomicLong();
    private final AtomicLong forgottenDestroyed = new AtomicLong();
    private final AtomicLong forgottenCreateFailures = new AtomicLong();
    private final AtomicLong forgottenSuccesses = new AtomicLong();
    private final AtomicLong forgottenFailures = new AtomicLong();
    private final AtomicLong forgottenTimeouts = new AtomicLong();
    private final AtomicLong forgottenLeaks = new AtomicLong();
    private final AtomicLong forgottenKeys = new AtomicLong();
    private final Object forgetLock = new Object();
    /** Forgotten engines whose last dial may still land; guarded by forgetLock. */
    private final List<Engine<C>> retiring = new ArrayList<>();

    public KeyedExclusivePool(String name, int maxTotal, Function<Object, PoolConfig> configFor,
                              KeyedConnectionFactory<K, C> factory) {
        this.name = name;
        this.configFor = configFor;
        this.factory = factory;
        this.template = configFor.apply("*");
        this.timeoutNanos = template.acquireTimeoutNanos();
        this.total = new TotalCapacity(maxTotal, template.ticker(), this::forgetSoon);
        Background.retain();
        this.housekeeper = Background.scheduleWithFixedDelay(this::scheduledHousekeeping,
                Engine.housekeepingPeriod(template));
    }

    // ------------------------------------------------------------------------------------------------
    // Using it
    // ------------------------------------------------------------------------------------------------

    @Override
    public Lease<C> acquire(K key) {
        return acquire(key, timeoutNanos);
    }

    @Override
    public Lease<C> acquire(K key, Duration timeout) {
        return acquire(key, nanos(timeout));
    }

    // The hot path spells out onEngine's loop: a lambda capturing the timeout was allocated on every
    // call (the JIT did not remove it), and the keyed benchmark measured it. The caller's lease is
    // not allocated only if the JIT inlines all of this and the lease comes from one place: so the
    // rare ways (a new key, a key forgotten under us) are methods of their own (compiled in, they
    // made this too big to inline, InlineSmallCode), and the retry returns a slot, not a lease (a
    // lease from either of two places is one the JIT of Java 17 cannot remove). Before, every keyed
    // checkout allocated its lease (-prof gc: 16 bytes a cycle).
    private Lease<C> acquire(K key, long timeout) {
        requireKey(key);
        Engine<C> engine = engineFor(key);
        Slot<C> slot;
        try {
            slot = engine.acquire(timeout);
        } catch (PoolClosedException e) {
            slot = acquireAgain(key, timeout, engine, e);
        }
        return slot.engine.lease(slot);
    }

    /** The key's engine was closed under us: forgotten meanwhile (look again), or the pool closed. */
    private Slot<C> acquireAgain(K key, long timeout, Engine<C> closedEngine, PoolClosedException e) {
        rethrowUnlessForgotten(key, closedEngine, e);
        for (;;) {
            Engine<C> engine = engineFor(key);
            try {
                return engine.acquire(timeout);
            } catch (PoolClosedException again) {
                rethrowUnlessForgotten(key, engine, again);
            }
        }
    }

    @Override
    public Lease<C> acquireFresh(K key) {
        return onEngine(key, engine -> engine.lease(engine.acquireFresh(timeoutNanos)));
    }

    @Override
    public <T> T withConnection(K key, ConnectionCallback<C, T> callback) {
        return onEngine(key, engine -> engine.withConnection(timeoutNanos, null, callback));
    }

    @Override
    public <M, R> List<R> sendBatch(K key, List<M> messages, BatchFunction<C, M, R> function) {
        return onEngine(key, engine -> engine.sendBatch(timeoutNanos, messages, function));
    }

    @Override
    public <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function) {
        return onEngine(key, engine -> engine.sendBatchParallel(timeoutNanos, messages, function, null));
    }

    @Override
    public <M, R> BatchResult<R> sendBatchParallel(K key, List<M> messages, BatchFunction<C, M, R> function,
                                                   Executor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        return onEngine(key, engine -> engine.sendBatchParallel(timeoutNanos, messages, function, executor));
    }

    /**
     * Runs {@code work} on the key's engine. An engine forgotten between our lookup and our call is
     * closed; its PoolClosedException then means "look again", not "the pool is closed".
     */
    private <T> T onEngine(K key, Function<Engine<C>, T> work) {
        requireKey(key);
        for (;;) {
            Engine<C> engine = engineFor(key);
            try {
                return work.apply(engine);
            } catch (PoolClosedException e) {
                rethrowUnlessForgotten(key, engine, e);
            }
        }
    }

    private static void requireKey(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
    }

    /** A closed engine that is no longer the key's (forgotten meanwhile) means "look again". */
    private void rethrowUnlessForgotten(K key, Engine<C> engine, PoolClosedException e) {
        if (closed || engines.get(key) == engine) {
            throw e;
        }
    }

    private Engine<C> engineFor(K key) {
        Engine<C> engine = engines.get(key);
        return engine != null && !engine.isClosed() ? engine : newEngineFor(key);
    }

    /** Creates the key's engine (or finds the one another thread just created). */
    private Engine<C> newEngineFor(K key) {
        Engine<C> engine;
        if (closed) {
            throw new PoolClosedException("Pool '" + name + "' is closed");
        }
        AtomicReference<Engine<C>> created = new AtomicReference<>();
        engine = engines.compute(key, (k, current) -> {
            if (current != null && !current.isClosed()) {
                return current;
            }
            Engine<C> fresh = new Engine<>(configFor.apply(k), connectionsTo(k), k, 1, total, false);
            created.set(fresh);
            if (current == null) {
                total.keyAdded();
            }
            return fresh;
        });
        if (created.get() == engine) {
            if (paused) {
                engine.pause();
            }
            engine.fillDemand(); // warm the new key to minIdlePerKey, outside the map's lock
            if (closed) {
                closeQuietly(engine);
            }
        }
        return engine;
    }

    private ConnectionFactory<C> connectionsTo(K key) {
        return new ConnectionFactory<>() {
            @Override
            public C connect() throws Exception {
                return factory.connect(key);
            }

            @Override
            public boolean validate(C connection) throws Exception {
                return factory.validate(key, connection);
            }

            @Override
            public void close(C connection) throws Exception {
                factory.close(key, connection);
            }
        };
    }

    // ------------------------------------------------------------------------------------------------
    // Housekeeping and forgetting keys
    // ------------------------------------------------------------------------------------------------

    private void scheduledHousekeeping() {
        if (closed) {
            return;
        }
        try {
            Background.execute(this::runHousekeeping);
        } catch (RuntimeException e) {
            // the background threads stopped: the pool is closing
        }
    }

    /** One housekeeping pass over every key, then forgets the keys that hold nothing. */
    public void runHousekeeping() {
        for (Map.Entry<K, Engine<C>> entry : engines.entrySet()) {
            Engine<C> engine = entry.getValue();
            engine.runHousekeeping();
            forgetIfEmpty(entry.getKey(), engine);
        }
    }

    /** Forgets an engine that just became empty, on a worker: never inside the caller's locks. */
    private void forgetSoon(Engine<?> engine) {
        if (closed) {
            return;
        }
        @SuppressWarnings("unchecked")
        Engine<C> ours = (Engine<C>) engine;
        @SuppressWarnings("unchecked")
        K key = (K) ours.key();
        try {
            Background.execute(() -> forgetIfEmpty(key, ours));
        } catch (RuntimeException e) {
            // the background threads stopped: the pool is closing
        }
    }

    private void forgetIfEmpty(K key, Engine<C> engine) {
        synchronized (forgetLock) { // stats() must see the key either live or in the forgotten figures
            forget(key, engine);
        }
    }

    private void forget(K key, Engine<C> engine) {
        if (closed || !engine.isForgettable() || engines.get(key) != engine
                || !engine.closeIfForgettable(() -> engines.remove(key, engine))) {
            return;
        }
        total.remove(engine);
        total.keyRemoved();
        forgottenKeys.incrementAndGet();
        retiring.add(engine);
        settleRetired();
        log.debug("Pool '{}' forgot key '{}': no connection, no waiter", name, key);
    }

    /**
     * Folds the figures of forgotten engines into the totals once nothing can change them any more:
     * a dial that was in flight when the key was forgotten still lands (and is closed) in its engine.
     * Called under forgetLock.
     */
    private void settleRetired() {
        for (java.util.Iterator<Engine<C>> it = retiring.iterator(); it.hasNext(); ) {
            Engine<C> engine = it.next();
            if (engine.allocatedCount() == 0) {
                it.remove();
                fold(engine.stats());
            }
        }
    }

    private void fold(PoolStats last) {
        forgottenCreated.addAndGet(last.created());
        forgottenDestroyed.addAndGet(last.destroyed());
        forgottenCreateFailures.addAndGet(last.createFailures());
        forgottenSuccesses.addAndGet(last.successfulOperations());
        forgottenFailures.addAndGet(last.failedOperations());
        forgottenTimeouts.addAndGet(last.timeouts());
        forgottenLeaks.addAndGet(last.leaks());
    }

    /** The engine of a key, if the pool knows the key; for tests. */
    public Engine<C> engine(K key) {
        return engines.get(key);
    }

    /** The shared capacity; for tests of its complexity. */
    TotalCapacity capacity() {
        return total;
    }

    /** Keys looked at while making room across keys, since start; for complexity tests. */
    public long keysVisitedToMakeRoom() {
        return total.keysVisited();
    }

    /** Keys in the least-recently-used index now; for tests that memory follows live keys. */
    public int indexedKeys() {
        return total.indexedKeys();
    }

    /** Keys queued for room across keys now, first come first; for tests that none is left without a waiter. */
    public List<Object> keysQueuedForRoom() {
        return total.queuedKeys();
    }

    // ------------------------------------------------------------------------------------------------
    // Watching it
    // ------------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public PoolStats stats() {
        synchronized (forgetLock) {
            settleRetired();
            return totals();
        }
    }

    private PoolStats totals() {
        int totalConnections = 0;
        int idle = 0;
        int inUse = 0;
        int pending = 0;
        int inFlight = 0;
        int creating = 0;
        long created = forgottenCreated.get();
        long destroyed = forgottenDestroyed.get();
        long createFailures = forgottenCreateFailures.get();
        long successes = forgottenSuccesses.get();
        long failures = forgottenFailures.get();
        long timeouts = forgottenTimeouts.get();
        long leaks = forgottenLeaks.get();
        CircuitState worst = CircuitState.CLOSED;
        String lastError = null;
        Instant lastErrorAt = null;
        List<Engine<C>> counted = new ArrayList<>(engines.values());
        counted.addAll(retiring);
        for (Engine<C> engine : counted) {
            PoolStats s = engine.stats();
            totalConnections += s.total();
            idle += s.idle();
            inUse += s.inUse();
            pending += s.pending();
            inFlight += s.inFlight();
            creating += s.creating();
            created += s.created();
            destroyed += s.destroyed();
            createFailures += s.createFailures();
            successes += s.successfulOperations();
            failures += s.failedOperations();
            timeouts += s.timeouts();
            leaks += s.leaks();
            if (s.circuit() == CircuitState.OPEN || s.circuit() == CircuitState.HALF_OPEN && worst == CircuitState.CLOSED) {
                worst = s.circuit();
            }
            if (s.lastErrorAt() != null && (lastErrorAt == null || s.lastErrorAt().isAfter(lastErrorAt))) {
                lastErrorAt = s.lastErrorAt();
                lastError = s.lastError();
            }
        }
        return new PoolStats(totalConnections, idle, inUse, pending, total.max(),
                Saturating.times(template.minIdle(), engines.size()), created, destroyed, createFailures,
                successes, failures, timeouts, inFlight, creating, leaks, worst, lastError, lastErrorAt);
    }

    @Override
    public PoolStats stats(K key) {
        Engine<C> engine = engines.get(key);
        if (engine != null) {
            return engine.stats();
        }
        PoolConfig config = configFor.apply(key);
        return new PoolStats(0, 0, 0, 0, config.maxSize(), config.minIdle(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                CircuitState.CLOSED, null, null);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("maxTotal", total.max()); // as resized since
        sizes.put("maxPerKey", template.maxSize());
        sizes.put("maxIdlePerKey", template.maxIdle());
        sizes.put("minIdlePerKey", template.minIdle());
        return EffectiveSettings.of(sizes, template, UserCode.settings(factory, name));
    }

    @Override
    public Set<K> keys() {
        return Set.copyOf(engines.keySet());
    }

    @Override
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> all = new ArrayList<>();
        for (Engine<C> engine : engines.values()) {
            all.addAll(engine.connections());
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------------
    // Managing it
    // ------------------------------------------------------------------------------------------------

    @Override
    public int evictIdle() {
        int evicted = 0;
        for (Engine<C> engine : engines.values()) {
            evicted += engine.evictIdle();
        }
        return evicted;
    }

    @Override
    public void drain() {
        engines.values().forEach(Engine::drain);
    }

    @Override
    public void drain(K key) {
        Engine<C> engine = engines.get(key);
        if (engine != null) {
            engine.drain();
        }
    }

    @Override
    public void resize(int maxTotal) {
        if (maxTotal < 1) {
            throw new InvalidConfigException("maxTotal", maxTotal, "at least 1");
        }
        total.resize(maxTotal);
        log.info("Pool '{}' resized to max-total {}", name, maxTotal);
    }

    @Override
    public void pause() {
        paused = true;
        engines.values().forEach(Engine::pause);
    }

    @Override
    public void resume() {
        paused = false;
        engines.values().forEach(Engine::resume);
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closeAll(() -> -1L);
    }

    @Override
    public void close(Duration grace) {
        long deadline = Saturating.deadline(System.nanoTime(), nanos(grace));
        closeAll(() -> Math.max(0, deadline - System.nanoTime()));
    }

    private void closeAll(Supplier<Long> graceLeft) {
        synchronized (engines) {
            if (closed) {
                return;
            }
            closed = true;
        }
        housekeeper.cancel(false);
        List<Throwable> errors = new ArrayList<>();
        for (Engine<C> engine : engines.values()) {
            try {
                engine.close(graceLeft.get());
            } catch (PoolException e) {
                errors.addAll(List.of(e.getSuppressed()));
            }
        }
        Background.release();
        log.info("Pool '{}' closed ({} keys open, {} forgotten over its life)", name, engines.size(), forgottenKeys.get());
        if (!errors.isEmpty()) {
            PoolException failure = new PoolException("Pool '" + name + "' closed, but closing " + errors.size()
                    + " connection(s) failed; see the suppressed exceptions");
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void closeQuietly(Engine<?> engine) {
        try {
            engine.close(-1);
        } catch (PoolException e) {
            log.warn("Closing connections of a forgotten key failed", e);
        }
    }

    private static long nanos(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new InvalidConfigException("timeout", duration, "a duration of zero or more");
        }
        return Saturating.toNanos(duration);
    }

    @Override
    public String toString() {
        return "KeyedPool[" + name + ", " + engines.size() + " keys]";
    }
}
