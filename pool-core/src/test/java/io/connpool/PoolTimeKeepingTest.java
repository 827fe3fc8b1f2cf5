package io.connpool;

import io.connpool.internal.CoarseClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the pool promises about time when the hot path reads a coarse clock (the system clock, ticked
 * four times a second): lifetimes and validation after inactivity are kept to within one tick, on the
 * safe side, and listeners' usage times stay precise. The clock here is ticked by hand.
 */
class PoolTimeKeepingTest extends PoolTestSupport {

    private static final Duration TICK = Duration.ofMillis(250);

    private final ManualTicker source = new ManualTicker();
    private final CoarseClock clock = CoarseClock.manual(source);

    private Pool.Builder<FakeConnection> coarse() {
        return builder().ticker(clock).maxSize(1).idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO)
                .validateOnBorrow(false);
    }

    private long connectionIdAfter(Pool<FakeConnection> pool) {
        try (Lease<FakeConnection> lease = pool.acquire()) {
            return lease.connection().id;
        }
    }

    /** Moves real time by {@code duration}, ticking the coarse clock as it goes (the last tick lands exactly at the end). */
    private void pass(Duration duration) {
        source.advance(duration);
        clock.tick();
    }

    @Test
    void aConnectionIsNotHandedOutOnceATickHasSeenItsLifetimeEnd() {
        Pool<FakeConnection> pool = pool(coarse().maxLifetime(Duration.ofMinutes(30)));
        long first = connectionIdAfter(pool);
        pass(Duration.ofMinutes(30));
        assertThat(connectionIdAfter(pool)).isNotEqualTo(first);
    }

    @Test
    void aConnectionIsNotRetiredBeforeItsLifetimeLessTheJitter() {
        Pool<FakeConnection> pool = pool(coarse().maxLifetime(Duration.ofMinutes(30)));
        long first = connectionIdAfter(pool);
        pass(Duration.ofMinutes(29)); // the jitter takes up to 2.5 % (45 s) off a lifetime
        assertThat(connectionIdAfter(pool)).isEqualTo(first);
    }

    @Test
    void aConnectionIdleForTheFullIntervalIsValidatedEvenWhenTheClockLagsByAlmostATick() {
        Pool<FakeConnection> pool = pool(coarse().validateOnBorrow(true).validateAfterInactivity(Duration.ofSeconds(2)));
        clock.tick();
        connectionIdAfter(pool); // returned right after a tick: its last use is stamped exactly
        int before = factory.validations.get();
        pass(Duration.ofSeconds(2).minus(TICK).plusNanos(1));
        source.advance(TICK.minusNanos(1)); // idle for exactly 2 s now; the last tick is 250 ms less 1 ns old
        connectionIdAfter(pool);
        assertThat(factory.validations.get() - before).isEqualTo(1);
    }

    @Test
    void aConnectionUsedWithinTheIntervalLessOneTickIsNotValidated() {
        Pool<FakeConnection> pool = pool(coarse().validateOnBorrow(true).validateAfterInactivity(Duration.ofSeconds(2)));
        clock.tick();
        connectionIdAfter(pool);
        int before = factory.validations.get();
        pass(Duration.ofSeconds(2).minus(TICK).minusNanos(1));
        connectionIdAfter(pool);
        assertThat(factory.validations.get() - before).isZero();
    }

    @Test
    void aValidationIntervalWithinOneTickValidatesEveryCheckout() {
        Pool<FakeConnection> pool = pool(coarse().validateOnBorrow(true).validateAfterInactivity(Duration.ofMillis(100)));
        connectionIdAfter(pool);
        int before = factory.validations.get();
        connectionIdAfter(pool);
        connectionIdAfter(pool);
        assertThat(factory.validations.get() - before).isEqualTo(2);
    }

    @Test
    void usageTimesArePreciseThoughTheHotPathClockIsCoarse() {
        List<Long> usages = new CopyOnWriteArrayList<>();
        Pool<FakeConnection> pool = pool(coarse().listener(new PoolListener() {
            @Override
            public void onReleased(long usageNanos) {
                usages.add(usageNanos);
            }
        }));
        try (Lease<FakeConnection> lease = pool.acquire()) {
            source.advance(Duration.ofMillis(5)); // no tick: the coarse clock has not moved
        }
        assertThat(usages).containsExactly(Duration.ofMillis(5).toNanos());
    }

    @Test
    void aListenerThatWantsEveryReleaseSeesEveryRelease() {
        CountingListener every = new CountingListener(false);
        Pool<FakeConnection> pool = pool(coarse().listener(every));
        for (int i = 0; i < 10; i++) {
            connectionIdAfter(pool);
        }
        assertThat(every.releases).hasSize(10);
    }

    @Test
    void aSamplingListenerSeesOneTimedCheckoutPerConnectionPerTick() {
        CountingListener sampling = new CountingListener(true);
        Pool<FakeConnection> pool = pool(coarse().listener(sampling));
        for (int i = 0; i < 10; i++) {
            connectionIdAfter(pool);
        }
        assertThat(sampling.releases).as("within one tick").hasSize(1);
        pass(TICK);
        for (int i = 0; i < 10; i++) {
            connectionIdAfter(pool);
        }
        assertThat(sampling.releases).as("after the next tick").hasSize(2);
    }

    @Test
    void aSamplingListenerBesideOneThatWantsEveryReleaseSeesEveryRelease() {
        CountingListener sampling = new CountingListener(true);
        CountingListener every = new CountingListener(false);
        Pool<FakeConnection> pool = pool(coarse().listener(sampling).listener(every));
        for (int i = 0; i < 10; i++) {
            connectionIdAfter(pool);
        }
        assertThat(sampling.releases).hasSize(10);
        assertThat(every.releases).hasSize(10);
    }

    private static final class CountingListener implements PoolListener {
        final List<Long> releases = new CopyOnWriteArrayList<>();
        private final boolean samples;

        CountingListener(boolean samples) {
            this.samples = samples;
        }

        @Override
        public void onReleased(long usageNanos) {
            releases.add(usageNanos);
        }

        @Override
        public boolean samplesUsage() {
            return samples;
        }
    }
}
