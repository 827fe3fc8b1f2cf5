package io.connpool;

import io.connpool.internal.KeyedExclusivePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A keyed pool whose keys come and go faster than its total cap allows: the room one key gives up
 * must reach the key that waits for it, a dial must serve the caller it was made for, and a key that
 * stopped waiting must stop taking room from the others.
 *
 * <p>The room-making invariant, "no caller times out while another key's idle connection could make
 * room", is checked as zero timeouts under an acquire timeout far longer than any hold: every hold is
 * bounded (at most a fraction of a millisecond), so a timeout can only be a caller the pool forgot.
 * Where each call uses a key of its own, every dial has exactly one caller to serve, so the number
 * of connections created also shows a dial closed before its caller took it.
 */
class KeyedPoolChurnTest {

    private static final Duration GENEROUS = Duration.ofSeconds(20);

    private final KeyedFakeFactory factory = new KeyedFakeFactory();
    private final List<KeyedExclusivePool<String, FakeConnection>> pools = new ArrayList<>();

    private KeyedPool.Builder<String, FakeConnection> builder() {
        return KeyedPool.builder(factory).name("churn").acquireTimeout(GENEROUS);
    }

    private KeyedExclusivePool<String, FakeConnection> pool(KeyedPool.Builder<String, FakeConnection> builder) {
        KeyedExclusivePool<String, FakeConnection> pool = (KeyedExclusivePool<String, FakeConnection>) builder.build();
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void checkInvariantsAndClose() {
        assertThat(factory.overHeld()).as("connections leased to two holders at once").isZero();
        for (KeyedExclusivePool<String, FakeConnection> pool : pools) {
            assertThat(pool.keysQueuedForRoom()).as("keys queued for room once every caller returned").isEmpty();
            await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().creating() == 0);
            PoolStats stats = pool.stats();
            assertThat(stats.created() - stats.destroyed()).as("created - destroyed").isEqualTo(stats.total());
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> // a holder's connection closes on a worker
                    assertThat(factory.live).as("connections open at the factory").hasValue(pool.stats().total()));
            pool.close(Duration.ofSeconds(1));
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(factory.live).as("connections left open after close").hasValue(0));
        assertThat(doubleCloses()).as("connections closed twice").isZero();
    }

    private int doubleCloses() {
        return factory.closedTwice();
    }

    @Test
    void twoCallersChurningKeysThroughATotalOfOneAreEachServedByTheirOwnDial() throws Exception {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        List<Throwable> failures = churnFreshKeys(pool, 2, 500);
        assertThat(failures).as("calls that failed").isEmpty();
        assertThat(pool.stats().created()).as("dials for 1,000 calls, each to a key of its own").isEqualTo(1_000);
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(1);
    }

    @Test
    void threeCallersChurningKeysThroughATotalOfTwoAreEachServedByTheirOwnDial() throws Exception {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(2).maxPerKey(1));
        List<Throwable> failures = churnFreshKeys(pool, 3, 500);
        assertThat(failures).as("calls that failed").isEmpty();
        assertThat(pool.stats().created()).as("dials for 1,500 calls, each to a key of its own").isEqualTo(1_500);
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(2);
    }

    @Test
    void aConnectionDialedForAWaitingKeyGoesToItsWaiterWhileAnotherKeyWaits() throws Exception {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        Lease<FakeConnection> a = pool.acquire("a");
        CountDownLatch bServed = callInBackground(pool, "b");
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats("b").pending() == 1);
        CountDownLatch cServed = callInBackground(pool, "c");
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats("c").pending() == 1);

        a.close(); // its room goes to b, then b's to c

        assertThat(bServed.await(10, TimeUnit.SECONDS)).as("b served").isTrue();
        assertThat(cServed.await(10, TimeUnit.SECONDS)).as("c served").isTrue();
        assertThat(factory.of("b").opened).as("dials for b's one caller").hasValue(1);
        assertThat(factory.of("c").opened).as("dials for c's one caller").hasValue(1);
    }

    @Test
    void aKeyWhoseOnlyWaiterTimedOutNoLongerTakesRoomFromTheOthers() {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        Lease<FakeConnection> a = pool.acquire("a");
        assertThatThrownBy(() -> pool.acquire("b", Duration.ofMillis(50))).isInstanceOf(PoolExhaustedException.class);
        assertThat(pool.keysQueuedForRoom()).as("keys queued for room").isEmpty();

        FakeConnection kept = a.connection();
        a.close();

        assertThat(kept.closed).as("a's connection closed for a key nobody waits for").isFalse();
        assertThat(pool.stats("a").idle()).isEqualTo(1);
    }

    @Test
    void aKeyWhoseOnlyWaiterWasInterruptedNoLongerTakesRoomFromTheOthers() throws Exception {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        Lease<FakeConnection> a = pool.acquire("a");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try (Lease<FakeConnection> unexpected = pool.acquire("b")) {
                outcome.set(new AssertionError("served " + unexpected.connection() + " while a held the only room"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        waiter.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats("b").pending() == 1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(outcome.get()).isInstanceOf(PoolException.class).hasMessageContaining("Interrupted");
        assertThat(pool.keysQueuedForRoom()).as("keys queued for room").isEmpty();

        FakeConnection kept = a.connection();
        a.close();

        assertThat(kept.closed).as("a's connection closed for a key nobody waits for").isFalse();
    }

    @Test
    void aDialThatLandsAfterItsWaiterLeftMakesRoomForAKeyThatWaits() throws Exception {
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        CountDownLatch bDial = new CountDownLatch(1);
        factory.of("b").hold = bDial; // b's dial holds the only room until the test lets it land
        assertThatThrownBy(() -> pool.acquire("b", Duration.ofMillis(50))).isInstanceOf(PoolExhaustedException.class);
        CountDownLatch cServed = callInBackground(pool, "c");
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats("c").pending() == 1);

        bDial.countDown(); // lands for nobody: b's caller has gone

        assertThat(cServed.await(10, TimeUnit.SECONDS)).as("c served").isTrue();
        assertThat(factory.of("b").all).singleElement().satisfies(c -> assertThat(c.closed).isTrue());
        assertThat(factory.of("c").opened).hasValue(1);
    }

    /**
     * Eight callers through caps far below their demand: keys reused (a few hot ones) and fresh (each
     * used once), random short holds, some connections found broken, and one call in ten impatient
     * (a timeout of at most a millisecond, so its key's waiter leaves, often while a dial for it is
     * on its way). Every patient call must be served. Between rounds, with every caller back, the
     * pool must be at rest: no key queued for room, nothing in use, the counts adding up.
     */
    @Test
    void churnOfHotAndFreshKeysThroughSmallCapsKeepsEveryInvariant() throws Exception {
        int maxTotal = 3;
        int maxPerKey = 2;
        int threads = 8;
        KeyedExclusivePool<String, FakeConnection> pool = pool(builder().maxTotal(maxTotal).maxPerKey(maxPerKey)
                .maxPending(threads));
        AtomicInteger impatientTimeouts = new AtomicInteger();
        for (int round = 0; round < 6; round++) {
            String prefix = "r" + round + "-";
            List<Throwable> failures = runCallers(threads, 100, (caller, n) -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String key = random.nextBoolean() ? "hot-" + random.nextInt(4) : prefix + caller + "-" + n;
                Lease<FakeConnection> lease;
                if (random.nextInt(10) == 0) {
                    try {
                        lease = pool.acquire(key, Duration.ofNanos(random.nextLong(1_000_000)));
                    } catch (PoolExhaustedException expected) {
                        impatientTimeouts.incrementAndGet();
                        return;
                    }
                } else {
                    lease = pool.acquire(key);
                }
                try (lease) {
                    FakeConnection connection = lease.connection();
                    connection.enter();
                    try {
                        LockSupport.parkNanos(random.nextLong(200_000)); // at most 0.2 ms
                    } finally {
                        connection.exit();
                    }
                    if (random.nextInt(20) == 0) {
                        lease.invalidate();
                    }
                }
            });
            assertThat(failures).as("patient calls that failed in round %d", round).isEmpty();
            await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().creating() == 0);
            PoolStats stats = pool.stats();
            assertThat(stats.timeouts()).as("timeouts").isEqualTo(impatientTimeouts.get());
            assertThat(stats.pending()).as("callers waiting after round %d", round).isZero();
            assertThat(stats.inUse()).as("connections in use after round %d", round).isZero();
            assertThat(pool.keysQueuedForRoom()).as("keys queued for room after round %d", round).isEmpty();
            assertThat(stats.total()).isLessThanOrEqualTo(maxTotal);
            assertThat(stats.created() - stats.destroyed()).as("created - destroyed").isEqualTo(stats.total());
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> // a holder's connection closes on a worker
                    assertThat(factory.live).as("connections open at the factory").hasValue(pool.stats().total()));
        }
        assertThat(factory.maxLive).as("connections open at once, all keys").hasValueLessThanOrEqualTo(maxTotal);
        assertThat(factory.perKey.values()).allSatisfy(f ->
                assertThat(f.maxLive).as("connections open at once, one key").hasValueLessThanOrEqualTo(maxPerKey));
        assertThat(doubleCloses()).as("connections closed twice").isZero();
    }

    // ------------------------------------------------------------------------------------------------

    /** {@code callers} threads, each calling {@code calls} times, each call to a key of its own. */
    private static List<Throwable> churnFreshKeys(KeyedPool<String, FakeConnection> pool, int callers, int calls)
            throws InterruptedException {
        return runCallers(callers, calls, (caller, n) -> pool.withConnection("k" + caller + "-" + n, c -> {
            c.enter();
            c.exit();
            return c.id;
        }));
    }

    private interface Call {
        void run(int caller, int n) throws Exception;
    }

    /** Runs the callers to the end (a failed call does not stop its caller) and returns the failures. */
    private static List<Throwable> runCallers(int callers, int calls, Call call) throws InterruptedException {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int caller = t;
            Thread thread = new Thread(() -> {
                awaitQuietly(start);
                for (int n = 0; n < calls; n++) {
                    try {
                        call.run(caller, n);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }, "caller-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        return failures;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a thread that makes one call to {@code key}; the latch opens when the call returned. */
    private static CountDownLatch callInBackground(KeyedPool<String, FakeConnection> pool, String key) {
        CountDownLatch served = new CountDownLatch(1);
        new Thread(() -> {
            pool.withConnection(key, c -> c.id);
            served.countDown();
        }, "caller-" + key).start();
        return served;
    }
}
