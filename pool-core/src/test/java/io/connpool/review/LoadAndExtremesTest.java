package io.connpool.review;

import io.connpool.KeyedPool;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolClosedException;
import io.connpool.PoolException;
import io.connpool.PoolExhaustedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Churn, interrupts at hand-off, tiny and huge settings. */
@Timeout(120)
public class LoadAndExtremesTest {

    final Ledger ledger = new Ledger();
    final Map<Long, Thread> holders = new ConcurrentHashMap<>();
    final List<String> doubleLeases = new CopyOnWriteArrayList<>();

    void hold(Conn c) {
        Thread prev = holders.putIfAbsent(c.id, Thread.currentThread());
        if (prev != null) {
            doubleLeases.add(c + " leased to " + Thread.currentThread().getName() + " while " + prev.getName() + " holds it");
        }
    }

    void unhold(Conn c) {
        holders.remove(c.id);
    }

    @Test
    void keyedAcquireFreshAndAcquireUnderKeyChurnNeverTimeOutNorExceedTheCaps() throws Exception {
        KeyedPool<String, Conn> pool = KeyedPool.builder((io.connpool.KeyedConnectionFactory<String, Conn>) ledger)
                .name("keyed-fresh-churn").maxTotal(3).maxPerKey(2).maxPending(1000).acquireTimeout(Duration.ofSeconds(10)).build();
        ExecutorService ex = Executors.newFixedThreadPool(6);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                fs.add(ex.submit(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 150; i++) {
                        String key = "k" + r.nextInt(8);
                        try (Lease<Conn> l = r.nextInt(3) == 0 ? pool.acquireFresh(key) : pool.acquire(key)) {
                            hold(l.connection());
                            if (!key.equals(l.connection().key)) {
                                failures.add(new AssertionError("asked " + key + " got " + l.connection()));
                            }
                            unhold(l.connection());
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
        }
        assertThat(failures).as("caller failures").isEmpty();
        assertThat(doubleLeases).isEmpty();
        assertThat(ledger.maxLive.get()).as("max open at once (maxTotal 3)").isLessThanOrEqualTo(3);
        assertThat(ledger.maxLivePerKey.get()).as("max open per key (maxPerKey 2)").isLessThanOrEqualTo(2);
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void anInterruptDeliveredAsAConnectionIsHandedToItsWaiterLosesNoConnection() throws Exception {
        Pool<Conn> pool = Pool.builder(ledger).name("interrupt-handoff").maxSize(1).acquireTimeout(Duration.ofSeconds(10))
                .handOffAfter(Duration.ZERO).build();
        List<String> problems = new CopyOnWriteArrayList<>();
        for (int round = 0; round < 200; round++) {
            Lease<Conn> held = pool.acquire();
            AtomicReference<Object> outcome = new AtomicReference<>();
            CountDownLatch interruptSent = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try {
                    Lease<Conn> l = pool.acquire();
                    while (interruptSent.getCount() > 0) {
                        Thread.onSpinWait(); // the interrupt has been sent when this ends: the flag must be up
                    }
                    boolean interrupted = Thread.currentThread().isInterrupted();
                    l.close();
                    outcome.set(interrupted ? "lease+interrupt" : "lease-no-interrupt");
                } catch (Throwable e) {
                    outcome.set(e);
                }
            }, "review-waiter-" + round);
            waiter.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);
            CyclicBarrier both = new CyclicBarrier(2);
            Thread releaser = new Thread(() -> {
                try {
                    both.await();
                } catch (Exception ignored) {
                }
                held.close();
            });
            releaser.start();
            both.await();
            waiter.interrupt();
            interruptSent.countDown();
            releaser.join(10_000);
            waiter.join(10_000);
            assertThat(waiter.isAlive()).as("waiter still blocked in round " + round).isFalse();
            Object o = outcome.get();
            if ("lease-no-interrupt".equals(o)) {
                problems.add("round " + round + ": interrupt swallowed");
            } else if (o instanceof Throwable t && !(t instanceof PoolException)) {
                problems.add("round " + round + ": " + t);
            }
            assertThat(pool.stats().inUse()).as("in use after round " + round).isZero();
        }
        try (Lease<Conn> l = pool.acquire(Duration.ofSeconds(5))) {
            assertThat(l.connection()).isNotNull();
        }
        assertThat(pool.stats().pending()).isZero();
        assertThat(problems).isEmpty();
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void resizeToIntegerMaxThenToOneUnderLoadSettlesAtOneConnection() throws Exception {
        Pool<Conn> pool = Pool.builder(ledger).name("resize-swing").maxSize(4).acquireTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService ex = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                fs.add(ex.submit(() -> {
                    while (!stop.get()) {
                        try (Lease<Conn> l = pool.acquire()) {
                            hold(l.connection());
                            Thread.sleep(1);
                            unhold(l.connection());
                        } catch (PoolExhaustedException e) {
                            // maxPending may shrink with the size
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(200);
            pool.resize(Integer.MAX_VALUE);
            Thread.sleep(300);
            pool.resize(1);
            Thread.sleep(300);
            pool.resize(Integer.MAX_VALUE);
            pool.resize(1);
            Thread.sleep(300);
            stop.set(true);
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(doubleLeases).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(pool.stats().total()).isLessThanOrEqualTo(1);
            assertThat(ledger.live.get()).isLessThanOrEqualTo(1);
        });
        assertThat(pool.stats().maxSize()).isEqualTo(1);
        try (Lease<Conn> l = pool.acquire(Duration.ofSeconds(5))) {
            assertThat(l.connection()).isNotNull();
        }
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void foreverSettingsEverywhereStillServeTimeOutAndClose() throws Exception {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        Pool<Conn> pool = Pool.builder(ledger).name("forever").maxSize(Integer.MAX_VALUE).minIdle(1)
                .acquireTimeout(forever).handOffAfter(forever).idleTimeout(forever).maxLifetime(forever)
                .validateAfterInactivity(forever).validationTimeout(forever).keepaliveInterval(forever)
                .leakDetectionThreshold(forever).connectBackoff(forever, forever).build();
        try (Lease<Conn> l = pool.acquire(Duration.ofNanos(Long.MAX_VALUE))) {
            assertThat(l.connection()).isNotNull();
        }
        try (Lease<Conn> l = pool.acquire(info -> true, forever)) {
            assertThat(l.connection()).isNotNull();
        }
        pool.evictIdle();
        pool.drain();
        assertThat(pool.stats().maxSize()).isEqualTo(Integer.MAX_VALUE);
        pool.close(forever);
        ledger.assertAllClosedOnce();
    }

    @Test
    void aWaiterWithAForeverTimeoutIsReleasedByClose() throws Exception {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        Pool<Conn> pool = Pool.builder(ledger).name("forever-wait").maxSize(1).acquireTimeout(forever).build();
        Lease<Conn> held = pool.acquire();
        AtomicReference<Throwable> got = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                pool.acquire(info -> true, forever).close();
            } catch (Throwable e) {
                got.set(e);
            }
            done.countDown();
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1);
        pool.close(Duration.ofMillis(100));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got.get()).isInstanceOf(PoolClosedException.class);
        held.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aFailingFactoryWithForeverBackoffDoesNotHoldCloseOrStats() throws Exception {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        ledger.onConnect = k -> {
            throw new java.io.IOException("down");
        };
        Pool<Conn> pool = Pool.builder(ledger).name("forever-backoff").maxSize(2).minIdle(1)
                .acquireTimeout(Duration.ofMillis(300)).connectBackoff(forever, forever).build();
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(pool::acquire);
        assertThat(first).isInstanceOf(PoolException.class);
        Throwable second = org.assertj.core.api.Assertions.catchThrowable(pool::acquire);
        assertThat(second).isInstanceOf(PoolException.class);
        assertThat(pool.stats().circuit()).isNotNull();
        pool.close(Duration.ofMillis(100));
        ledger.assertAllClosedOnce();
    }
}
