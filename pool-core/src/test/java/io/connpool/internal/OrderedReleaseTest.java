package io.connpool.internal;

import io.connpool.ConnectionFactory;
import io.connpool.ConnectionLedger;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolInvariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain exclusive pool releases with an ordered store, not a CAS (see
 * {@code EngineHotFields.orderedRelease}). Two things a fence used to guarantee now rest on other
 * mechanisms, and these tests pin each one down by producing the outcome of the race directly: a
 * slot written idle by {@link Slot#releaseHeld()} without the releaser's wake-up.
 */
class OrderedReleaseTest {

    /** Counts each connection's closes: a connection closed twice is a bug the pool must never have. */
    static final class CountingFactory implements ConnectionFactory<Integer>, ConnectionLedger {
        final AtomicInteger dialed = new AtomicInteger();
        final ConcurrentHashMap<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();

        @Override
        public Integer connect() {
            return dialed.incrementAndGet();
        }

        @Override
        public void close(Integer connection) {
            closes.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public int open() {
            return dialed.get() - closes.size();
        }

        @Override
        public int closedTwice() {
            return (int) closes.values().stream().filter(n -> n.get() > 1).count();
        }

        @Override
        public int overHeld() {
            return 0; // its connections are plain numbers: nothing marks their holders
        }

        @Override
        public String toString() {
            return "CountingFactory";
        }
    }

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private final CountingFactory factory = new CountingFactory();

    private Pool<Integer> poolOfOne(Duration handOffAfter) {
        Pool<Integer> pool = invariants.track(Pool.builder(factory).name("ordered-release").maxSize(1).minIdle(1)
                .handOffAfter(handOffAfter).acquireTimeout(Duration.ofSeconds(30)).build(), factory);
        await().until(() -> pool.stats().idle() == 1);
        return pool;
    }

    @SuppressWarnings("unchecked")
    private static Engine<Integer> engine(Pool<Integer> pool) {
        return ((EnginePool<Integer>) pool).engine();
    }

    @Test
    void aFirstWaiterWhoseWakeUpWasMissedFindsTheIdleConnectionOnItsOwn() throws Exception {
        // A long hand-off threshold: before the recheck bound, the first waiter slept up to this long
        // (here: its whole 30 s timeout) when the one wake-up it expected never came.
        Pool<Integer> pool = poolOfOne(Duration.ofMinutes(1));
        Slot<Integer> held = engine(pool).acquire(Duration.ofSeconds(1).toNanos());
        Thread waiter = waiterFor(() -> pool.acquire());
        await().until(() -> pool.stats().pending() == 1 && waiter.getState() == Thread.State.TIMED_WAITING);

        held.releaseHeld(); // what a release whose read of the waiter count passed its write leaves behind

        assertServed(waiter);
        assertThat(served.get()).isEqualTo(held.connection);
        pool.close();
    }

    @Test
    void inHandOffModeAFirstWaiterWhoseWakeUpWasMissedIsServedFromTheIdleConnection() throws Exception {
        // Zero: strictly first come, first served; only dispatch hands connections out, so a release
        // that missed the queue left nothing that would ever serve the waiter but its own recheck.
        Pool<Integer> pool = poolOfOne(Duration.ZERO);
        Slot<Integer> held = engine(pool).acquire(Duration.ofSeconds(1).toNanos());
        Thread waiter = waiterFor(() -> pool.acquire());
        await().until(() -> pool.stats().pending() == 1 && waiter.getState() == Thread.State.TIMED_WAITING);

        held.releaseHeld();

        assertServed(waiter);
        pool.close();
    }

    private final AtomicReference<Integer> served = new AtomicReference<>();

    private Thread waiterFor(Supplier<Lease<Integer>> acquire) {
        Thread waiter = new Thread(() -> {
            try (Lease<Integer> lease = acquire.get()) {
                served.set(lease.connection());
            }
        }, "waiter");
        waiter.start();
        return waiter;
    }

    private void assertServed(Thread waiter) throws InterruptedException {
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("the waiter still waits, though a connection is idle").isFalse();
        assertThat(served.get()).isNotNull();
    }

    @Test
    void aConnectionClosedUnderItsHolderIsClosedOnceWhenItComesBack() {
        Pool<Integer> pool = poolOfOne(Duration.ofMillis(1));
        Lease<Integer> lease = pool.acquire();
        Integer connection = lease.connection();

        pool.close(Duration.ZERO); // no grace: closed under its holder, on a worker
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(factory.closes.get(connection)).as("closes after close()").hasValue(1));
        lease.close(); // the unfenced release writes the removed slot idle again

        assertThat(factory.closes.get(connection)).as("closes after the holder's return").hasValue(1);
        assertThat(pool.stats().total()).as("connections the closed pool still shows").isZero();
        assertThat(pool.stats().destroyed()).isEqualTo(1);
    }
}
