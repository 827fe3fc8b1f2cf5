package io.connpool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Values at the extremes: a duration up to {@code ChronoUnit.FOREVER} and a size up to
 * {@code Integer.MAX_VALUE} mean "no practical limit". Nothing a builder, a call or a derived figure
 * computes from them overflows: a bad value is an {@link InvalidConfigException}, a huge one is clamped.
 */
class ExtremeValuesTest {

    /** {@code Duration.of(1, ChronoUnit.FOREVER)}: Long.MAX_VALUE seconds and 999,999,999 ns. */
    static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    enum Kind { EXCLUSIVE, SHARED, KEYED }

    private final FakeFactory factory = new FakeFactory();
    private final KeyedFakeFactory keyedFactory = new KeyedFakeFactory();
    private final List<ManagedPool> pools = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void closeAndCheck() {
        factory.hold = null;
        keyedFactory.perKey.values().forEach(f -> f.hold = null);
        for (ManagedPool pool : pools) {
            pool.close(Duration.ofSeconds(1));
        }
        callers.shutdownNow();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(factory.live).as("connections left open").hasValue(0);
            assertThat(keyedFactory.live).as("keyed connections left open").hasValue(0);
        });
        assertThat(factory.doubleCloses).as("connections closed twice").hasValue(0);
    }

    // ------------------------------------------------------------------------------------------------
    // Builders: every Duration setting of every kind, from zero to FOREVER
    // ------------------------------------------------------------------------------------------------

    private static final Map<String, BiConsumer<PoolSettings<?>, Duration>> DURATION_SETTINGS = Map.ofEntries(
            Map.entry("validationTimeout", PoolSettings::validationTimeout),
            Map.entry("acquireTimeout", PoolSettings::acquireTimeout),
            Map.entry("handOffAfter", PoolSettings::handOffAfter),
            Map.entry("idleTimeout", PoolSettings::idleTimeout),
            Map.entry("maxLifetime", PoolSettings::maxLifetime),
            Map.entry("validateAfterInactivity", PoolSettings::validateAfterInactivity),
            Map.entry("keepaliveInterval", PoolSettings::keepaliveInterval),
            Map.entry("leakDetectionThreshold", PoolSettings::leakDetectionThreshold),
            Map.entry("connectBackoff.initial", (b, d) -> b.connectBackoff(d, FOREVER)),
            Map.entry("connectBackoff.max", (b, d) -> b.connectBackoff(Duration.ofNanos(1), d)));

    static Stream<Arguments> everyDurationSettingAtEveryExtreme() {
        List<Arguments> cases = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (String setting : new java.util.TreeSet<>(DURATION_SETTINGS.keySet())) {
                for (Duration value : List.of(Duration.ZERO, Duration.ofNanos(1), MAX_NANOS, FOREVER)) {
                    cases.add(Arguments.of(kind, setting, value));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @MethodSource("everyDurationSettingAtEveryExtreme")
    void aDurationSettingBuildsOrIsRejectedAsInvalidNeverOverflows(Kind kind, String setting, Duration value) {
        PoolSettings<?> builder = builder(kind);
        boolean mustBePositive = setting.startsWith("connectBackoff") || setting.equals("validationTimeout");
        if (mustBePositive && value.isZero()) {
            assertThatThrownBy(() -> DURATION_SETTINGS.get(setting).accept(builder, value))
                    .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.setting()).isEqualTo(setting));
            return;
        }
        DURATION_SETTINGS.get(setting).accept(builder, value);
        ManagedPool pool = build(kind, builder);
        if (value.compareTo(MAX_NANOS) >= 0) {
            // huge means "no practical limit": the pool serves, within its own (default) timeout
            assertThat(call(kind, pool)).isPositive();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Per call: acquire and close with FOREVER
    // ------------------------------------------------------------------------------------------------

    static Stream<Arguments> kindsAndHugeDurations() {
        List<Arguments> cases = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            cases.add(Arguments.of(kind, MAX_NANOS));
            cases.add(Arguments.of(kind, FOREVER));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndHugeDurations")
    void acquireWithAHugeTimeoutOnAnIdlePoolReturnsALease(Kind kind, Duration timeout) {
        ManagedPool pool = build(kind, builder(kind));
        call(kind, pool); // leaves one connection idle
        try (Lease<FakeConnection> lease = acquire(kind, pool, timeout)) {
            assertThat(lease.connection()).isNotNull();
        }
        if (kind == Kind.EXCLUSIVE) {
            try (Lease<FakeConnection> lease = exclusive(pool).acquire(info -> true, timeout)) {
                assertThat(lease.connection()).isNotNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndHugeDurations")
    void acquireWithAHugeTimeoutOnAnExhaustedPoolWaitsUntilAConnectionComesBack(Kind kind, Duration timeout) throws Exception {
        ManagedPool pool = build(kind, oneConnection(kind));
        Lease<FakeConnection> held = acquire(kind, pool, Duration.ofSeconds(10));
        Future<FakeConnection> waiter = callers.submit(() -> {
            try (Lease<FakeConnection> lease = acquire(kind, pool, timeout)) {
                return lease.connection();
            }
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> pending(kind, pool) == 1 || waiter.isDone());
        assertThat(waiter).as("a caller with a huge timeout waits, it does not time out at once").isNotDone();

        FakeConnection connection = held.connection();
        held.close();

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(connection);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndHugeDurations")
    void closeWithAHugeGraceWaitsForTheConnectionInUseThenClosesThePool(Kind kind, Duration grace) throws Exception {
        ManagedPool pool = build(kind, builder(kind));
        Lease<FakeConnection> held = acquire(kind, pool, Duration.ofSeconds(10));
        FakeConnection connection = held.connection();
        Future<?> closing = callers.submit(() -> pool.close(grace));
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.isClosed() || closing.isDone());
        assertThat(closing).as("close waits for the connection in use").isNotDone();
        assertThat(connection.closed).as("closed under its holder").isFalse();

        held.close();

        closing.get(10, TimeUnit.SECONDS);
        assertThat(pool.isClosed()).isTrue();
        await().atMost(10, TimeUnit.SECONDS).until(() -> connection.closed);
    }

    // ------------------------------------------------------------------------------------------------
    // Sizes at Integer.MAX_VALUE
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void maxSizeOfIntegerMaxValueLetsCallersWaitForASlowDialAndServesThem(Kind kind) throws Exception {
        PoolSettings<?> builder = builder(kind);
        if (builder instanceof PoolBuilder<?> sized) {
            sized.maxSize(Integer.MAX_VALUE);
        } else {
            ((KeyedPool.Builder<?, ?>) builder).maxTotal(Integer.MAX_VALUE).maxPerKey(Integer.MAX_VALUE);
        }
        ManagedPool pool = build(kind, builder);
        CountDownLatch dialing = new CountDownLatch(1);
        factoryOf(kind).hold = dialing;

        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(callers.submit(() -> call(kind, pool)));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> pending(kind, pool) == 3 || calls.stream().anyMatch(Future::isDone));
        assertThat(calls).as("no caller fails while the dial is slow").noneMatch(Future::isDone);

        dialing.countDown();

        for (Future<Integer> served : calls) {
            assertThat(served.get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void maxCallsPerConnectionOfIntegerMaxValueIsClampedToWhatAConnectionCanCount() {
        SharedPool<FakeConnection> pool = shared(build(Kind.SHARED, SharedPool.builder(factory).name("shared")
                .acquireTimeout(Duration.ofSeconds(10)).maxSize(2).maxCallsPerConnection(Integer.MAX_VALUE)));
        Lease<FakeConnection> first = pool.acquire();
        Lease<FakeConnection> second = pool.acquire();
        FakeConnection retiring = first.connection();
        assertThat(second.connection()).isSameAs(retiring);

        first.invalidate(); // the connection takes no new call; the second still runs on it

        // Above 2^30 - 1 calls, the count would run into the bit that marks the connection retiring
        // and a retiring connection would look like one with room.
        try (Lease<FakeConnection> third = pool.acquire()) {
            assertThat(third.connection()).as("a call never lands on a retiring connection").isNotSameAs(retiring);
        }
        second.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void resizeToIntegerMaxValueLetsCallersBeyondTheOldSizeIn(Kind kind) {
        ManagedPool pool = build(kind, oneConnection(kind));
        try (Lease<FakeConnection> held = acquire(kind, pool, Duration.ofSeconds(10))) {
            pool.resize(Integer.MAX_VALUE);
            // a keyed pool's resize sets max-total: another key gets in, this one stays at max-per-key
            try (Lease<FakeConnection> another = kind == Kind.KEYED ? keyed(pool).acquire("other", Duration.ofSeconds(10))
                    : acquire(kind, pool, Duration.ofSeconds(10))) {
                assertThat(another.connection()).isNotSameAs(held.connection());
            }
        }
        assertThat(pool.stats().maxSize()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void keyedMinIdleOverManyKeysSaturatesInTheStats() {
        KeyedPool<String, FakeConnection> pool = keyed(build(Kind.KEYED, KeyedPool.builder(keyedFactory).name("keyed")
                .maxTotal(Integer.MAX_VALUE).maxPerKey(Integer.MAX_VALUE).minIdlePerKey(Integer.MAX_VALUE)
                .connectBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1))));
        for (String key : List.of("a", "b")) {
            keyedFactory.down.add(key);
            tryAcquire(pool, key);
            // the failed dial opens the key's circuit for a minute, which keeps the key known
            await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats(key).createFailures() > 0);
        }
        assertThat(pool.keys()).containsExactlyInAnyOrder("a", "b");

        assertThat(pool.stats().minIdle()).isEqualTo(Integer.MAX_VALUE);
    }

    private static void tryAcquire(KeyedPool<String, FakeConnection> pool, String key) {
        try (Lease<FakeConnection> ignored = pool.acquire(key, Duration.ZERO)) {
            throw new AssertionError("a key that is down served a connection");
        } catch (PoolException expected) {
            // timed out at once, or failed with the dial: either way the key now has an engine
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The three kinds behind one face
    // ------------------------------------------------------------------------------------------------

    private PoolSettings<?> builder(Kind kind) {
        return switch (kind) {
            case EXCLUSIVE -> Pool.builder(factory).name("exclusive").acquireTimeout(Duration.ofSeconds(10));
            case SHARED -> SharedPool.builder(factory).name("shared").acquireTimeout(Duration.ofSeconds(10));
            case KEYED -> KeyedPool.builder(keyedFactory).name("keyed").acquireTimeout(Duration.ofSeconds(10));
        };
    }

    /** A pool of one connection, taking one call at a time. */
    private PoolSettings<?> oneConnection(Kind kind) {
        return switch (kind) {
            case EXCLUSIVE -> ((Pool.Builder<?>) builder(kind)).maxSize(1);
            case SHARED -> ((SharedPool.Builder<?>) builder(kind)).maxSize(1).maxCallsPerConnection(1);
            case KEYED -> ((KeyedPool.Builder<?, ?>) builder(kind)).maxTotal(1).maxPerKey(1);
        };
    }

    private ManagedPool build(Kind kind, PoolSettings<?> builder) {
        ManagedPool pool = switch (kind) {
            case EXCLUSIVE -> ((Pool.Builder<?>) builder).build();
            case SHARED -> ((SharedPool.Builder<?>) builder).build();
            case KEYED -> ((KeyedPool.Builder<?, ?>) builder).build();
        };
        pools.add(pool);
        return pool;
    }

    private FakeFactory factoryOf(Kind kind) {
        return kind == Kind.KEYED ? keyedFactory.of("k") : factory;
    }

    /** One call with the pool's own timeout; returns the id of the connection it ran on. */
    private static int call(Kind kind, ManagedPool pool) {
        return switch (kind) {
            case EXCLUSIVE -> exclusive(pool).withConnection(c -> c.id);
            case SHARED -> shared(pool).withConnection(c -> c.id);
            case KEYED -> keyed(pool).withConnection("k", c -> c.id);
        };
    }

    private static Lease<FakeConnection> acquire(Kind kind, ManagedPool pool, Duration timeout) {
        return switch (kind) {
            case EXCLUSIVE -> exclusive(pool).acquire(timeout);
            case SHARED -> shared(pool).acquire(timeout);
            case KEYED -> keyed(pool).acquire("k", timeout);
        };
    }

    private static int pending(Kind kind, ManagedPool pool) {
        return kind == Kind.KEYED ? keyed(pool).stats("k").pending() : pool.stats().pending();
    }

    @SuppressWarnings("unchecked")
    private static Pool<FakeConnection> exclusive(ManagedPool pool) {
        return (Pool<FakeConnection>) pool;
    }

    @SuppressWarnings("unchecked")
    private static SharedPool<FakeConnection> shared(ManagedPool pool) {
        return (SharedPool<FakeConnection>) pool;
    }

    @SuppressWarnings("unchecked")
    private static KeyedPool<String, FakeConnection> keyed(ManagedPool pool) {
        return (KeyedPool<String, FakeConnection>) pool;
    }
}
