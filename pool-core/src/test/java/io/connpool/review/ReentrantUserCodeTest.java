package io.connpool.review;

import io.connpool.ConnectionInfo;
import io.connpool.DestroyReason;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolClosedException;
import io.connpool.PoolException;
import io.connpool.PoolListener;
import io.connpool.SharedPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** User code that re-enters the pool it was called by. */
@Timeout(60)
public class ReentrantUserCodeTest {

    final Ledger ledger = new Ledger();

    @Test
    void aListenerThatAcquiresFromInsideOnAcquiredDoesNotDeadlockOrLeak() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Pool<Conn> pool = Pool.builder(ledger).name("reenter-acq").maxSize(2).acquireTimeout(Duration.ofSeconds(2))
                .listener(new PoolListener() {
                    @Override
                    public void onAcquired(long waitNanos) {
                        if (inside.get()) {
                            return;
                        }
                        inside.set(true);
                        try (Lease<Conn> nested = ref.get().acquire(Duration.ofMillis(500))) {
                            nested.connection();
                        } catch (Throwable e) {
                            seen.add(e);
                        } finally {
                            inside.set(false);
                        }
                    }
                }).build();
        ref.set(pool);
        CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> {
            try (Lease<Conn> l = pool.acquire()) {
                return l.connection().id;
            }
        });
        assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        try (Lease<Conn> a = pool.acquire(); Lease<Conn> b = pool.acquire()) {
            assertThat(a.connection()).isNotSameAs(b.connection());
        }
        assertThat(pool.stats().inUse()).isZero();
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aListenerThatClosesThePoolFromOnReleasedLetsTheReleaseReturnAndClosesEverythingOnce() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("reenter-rel").maxSize(3).acquireTimeout(Duration.ofSeconds(2))
                .listener(new PoolListener() {
                    @Override
                    public void onReleased(long usageNanos) {
                        ref.get().close();
                    }
                }).build();
        ref.set(pool);
        Lease<Conn> a = pool.acquire();
        Lease<Conn> b = pool.acquire();
        CompletableFuture<Void> closeA = CompletableFuture.runAsync(a::close);
        closeA.get(10, TimeUnit.SECONDS);
        assertThat(pool.isClosed()).isTrue();
        b.close();
        assertThatThrownBy(pool::acquire).isInstanceOf(PoolClosedException.class);
        ledger.assertAllClosedOnce();
    }

    @Test
    void aListenerThatAcquiresAndReadsStatsFromOnConnectionDestroyedDoesNotDeadlock() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Pool<Conn> pool = Pool.builder(ledger).name("reenter-destroyed").maxSize(2).acquireTimeout(Duration.ofSeconds(2))
                .listener(new PoolListener() {
                    @Override
                    public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
                        ref.get().stats();
                        ref.get().connections();
                        try (Lease<Conn> l = ref.get().acquire(Duration.ofMillis(200))) {
                            l.connection();
                        } catch (Throwable e) {
                            seen.add(e);
                        }
                    }
                }).build();
        ref.set(pool);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<?> inv = ex.submit(() -> pool.acquire().invalidate());
            inv.get(10, TimeUnit.SECONDS);
            Future<?> ev = ex.submit(() -> {
                pool.acquire().close();
                pool.evictIdle();
            });
            ev.get(10, TimeUnit.SECONDS);
            try (Lease<Conn> l = pool.acquire(Duration.ofSeconds(5))) {
                l.connection();
            }
            Lease<Conn> held = pool.acquire();
            Future<?> closing = ex.submit(() -> pool.close(Duration.ofMillis(100)));
            closing.get(10, TimeUnit.SECONDS);
            held.close();
        } finally {
            ex.shutdownNow();
        }
        ledger.assertAllClosedOnce();
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void aFilterThatReadsStatsAndConnectionsWhileQueuedIsServedWhenAReleaseDispatches() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("filter-stats").maxSize(1).acquireTimeout(Duration.ofSeconds(5)).build();
        ref.set(pool);
        Lease<Conn> held = pool.acquire();
        AtomicInteger tested = new AtomicInteger();
        CompletableFuture<Long> filtered = CompletableFuture.supplyAsync(() -> {
            try (Lease<Conn> l = pool.acquire(info -> {
                tested.incrementAndGet();
                ref.get().stats();
                ref.get().connections();
                return true;
            })) {
                return l.connection().id;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 1 || tested.get() > 0);
        CompletableFuture<Void> release = CompletableFuture.runAsync(held::close);
        release.get(10, TimeUnit.SECONDS);
        assertThat(filtered.get(10, TimeUnit.SECONDS)).isPositive();
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aValidateThatClosesThePoolNeitherHoldsTheBorrowerNorLeaks() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("validate-closes").maxSize(2).acquireTimeout(Duration.ofSeconds(2))
                .validateOnBorrow(true).validateAfterInactivity(Duration.ofNanos(1))
                .build();
        ref.set(pool);
        pool.acquire().close();
        ledger.onValidate = c -> {
            ref.get().close();
            return true;
        };
        Thread.sleep(5);
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            try (Lease<Conn> l = pool.acquire(Duration.ofSeconds(2))) {
                return l.connection();
            } catch (PoolException e) {
                return e;
            }
        });
        Object outcome = f.get(10, TimeUnit.SECONDS);
        assertThat(pool.isClosed()).isTrue();
        ledger.assertAllClosedOnce();
        if (outcome instanceof Throwable t) {
            assertThat(t).isInstanceOf(PoolException.class);
        }
    }

    @Test
    void aCallbackThatClosesItsPoolWithGraceGetsItsResultAndTheConnectionClosesOnce() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("callback-closes").maxSize(2).acquireTimeout(Duration.ofSeconds(2)).build();
        ref.set(pool);
        CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> pool.withConnection(c -> {
            ref.get().close(Duration.ofMillis(200));
            return c.id;
        }));
        assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(pool.isClosed()).isTrue();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aCallbackThatClosesItsPoolWithoutGraceGetsItsResultAndTheConnectionClosesOnce() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("callback-closes0").maxSize(2).acquireTimeout(Duration.ofSeconds(2)).build();
        ref.set(pool);
        CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> pool.withConnection(c -> {
            ref.get().close();
            return c.id;
        }));
        assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aBatchFunctionThatClosesThePoolMidBatchLeavesNoConnectionOpen() throws Exception {
        AtomicReference<Pool<Conn>> ref = new AtomicReference<>();
        Pool<Conn> pool = Pool.builder(ledger).name("batch-closes").maxSize(3).acquireTimeout(Duration.ofSeconds(2)).build();
        ref.set(pool);
        List<Integer> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(i);
        }
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.sendBatchParallel(messages, (c, m) -> {
                    if (m == 5) {
                        ref.get().close(Duration.ofMillis(50));
                    }
                    return m;
                });
            } catch (Throwable e) {
                return e;
            }
        });
        Object outcome = f.get(20, TimeUnit.SECONDS);
        assertThat(outcome).isNotNull();
        ledger.assertAllClosedOnce();
    }

    @Test
    void manyThreadsClosingAtOnceWhileCallersWaitAllReturnAndEveryWaiterFailsClosed() throws Exception {
        Pool<Conn> pool = Pool.builder(ledger).name("close-storm").maxSize(2).maxPending(100).acquireTimeout(Duration.ofSeconds(20)).build();
        Lease<Conn> a = pool.acquire();
        Lease<Conn> b = pool.acquire();
        ExecutorService ex = Executors.newFixedThreadPool(16);
        try {
            List<Future<Object>> waiters = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                waiters.add(ex.submit(() -> {
                    try (Lease<Conn> l = pool.acquire()) {
                        return l;
                    } catch (Throwable e) {
                        return e;
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().pending() == 8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> closers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                final int n = i;
                closers.add(ex.submit(() -> {
                    go.await();
                    try {
                        if (n % 2 == 0) {
                            pool.close();
                        } else {
                            pool.close(Duration.ofMillis(300));
                        }
                        return "ok";
                    } catch (Throwable e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            for (Future<Object> c : closers) {
                assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            }
            for (Future<Object> w : waiters) {
                assertThat(w.get(10, TimeUnit.SECONDS)).isInstanceOf(PoolClosedException.class);
            }
            a.close();
            b.close();
        } finally {
            ex.shutdownNow();
        }
        ledger.assertAllClosedOnce();
    }

    @Test
    void aListenerThatThrowsOnAcquireWhileAnotherCallersFilterHangsHoldsOnlyTheFilteredCaller() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        Pool<Conn> pool = Pool.builder(ledger).name("combo").maxSize(2).acquireTimeout(Duration.ofSeconds(3))
                .listener(new PoolListener() {
                    @Override
                    public void onAcquired(long waitNanos) {
                        Ledger.sneaky(new Exception("listener checked"));
                    }

                    @Override
                    public void onReleased(long usageNanos) {
                        throw new AssertionError("listener error");
                    }
                }).build();
        try (Lease<Conn> warm1 = pool.acquire(); Lease<Conn> warm2 = pool.acquire()) {
            warm1.connection();
        }
        CompletableFuture<Object> hung = CompletableFuture.supplyAsync(() -> {
            try (Lease<Conn> l = pool.acquire(info -> {
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            })) {
                return l.connection();
            } catch (Throwable e) {
                return e;
            }
        });
        try {
            for (int i = 0; i < 50; i++) {
                CompletableFuture<Long> plain = CompletableFuture.supplyAsync(() -> pool.withConnection(c -> c.id));
                assertThat(plain.get(10, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            letGo.countDown();
        }
        hung.get(10, TimeUnit.SECONDS);
        assertThat(pool.stats().inUse()).isZero();
        pool.close();
        ledger.assertAllClosedOnce();
    }

    @Test
    void aSharedPoolWhoseListenersThrowDuringRetirementKeepsServingAndClosesEachConnectionOnce() throws Exception {
        SharedPool<Conn> pool = SharedPool.builder(ledger).name("shared-retire").maxSize(2).maxCallsPerConnection(2)
                .maxLifetime(Duration.ofMillis(20)).acquireTimeout(Duration.ofSeconds(5))
                .listener(new PoolListener() {
                    @Override
                    public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
                        throw new StackOverflowError("destroyed");
                    }

                    @Override
                    public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
                        Ledger.sneaky(new java.io.IOException("created"));
                    }

                    @Override
                    public void onReleased(long usageNanos) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("released");
                    }
                }).build();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(ex.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 100; i++) {
                        Thread.interrupted();
                        pool.withConnection(c -> {
                            Thread.sleep(1);
                            return c.id;
                        });
                        ok++;
                    }
                    Thread.interrupted();
                    return ok;
                }));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(100);
            }
        } finally {
            ex.shutdownNow();
        }
        assertThat(ledger.maxLive.get()).isLessThanOrEqualTo(2 + 2); // retiring ones close after their last call
        pool.close();
        ledger.assertAllClosedOnce();
    }
}
