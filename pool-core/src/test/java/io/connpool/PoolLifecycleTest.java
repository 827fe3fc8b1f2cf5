package io.connpool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PoolLifecycleTest extends PoolTestSupport {

    @Test
    void evictIdleClosesIdleConnectionsAndRefillsToMinIdle() {
        Pool<FakeConnection> pool = pool(builder().minIdle(2));
        await().until(() -> pool.stats().idle() == 2);
        assertThat(pool.evictIdle()).isEqualTo(2);
        await().until(() -> pool.stats().idle() == 2);
        assertThat(factory.opened).hasValue(4);
    }

    @Test
    void drainReplacesIdleConnectionsNowAndInUseOnesWhenReturned() {
        Pool<FakeConnection> pool = pool(builder());
        Lease<FakeConnection> held = pool.acquire();
        pool.withConnection(c -> c.id);
        assertThat(pool.stats().total()).isEqualTo(2);
        pool.drain();
        assertThat(pool.stats().total()).as("the idle one is gone").isEqualTo(1);
        FakeConnection old = held.connection();
        assertThat(old.closed).isFalse();
        held.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> old.closed); // a holder's connection closes on a worker
        try (Lease<FakeConnection> lease = pool.acquire()) {
            assertThat(lease.connection().id).isEqualTo(3);
        }
    }

    @Test
    void drainWorksInAPoolThatNeedsNoClock() {
        // no lifetime, idle timeout, validation, listener: the hot path reads no clock at all
        Pool<FakeConnection> pool = pool(builder().maxLifetime(Duration.ZERO).idleTimeout(Duration.ZERO).validateOnBorrow(false));
        Lease<FakeConnection> held = pool.acquire();
        pool.withConnection(c -> c.id);
        pool.drain();
        FakeConnection old = held.connection();
        held.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> old.closed); // retired on return although no clock was read
        try (Lease<FakeConnection> lease = pool.acquire()) {
            assertThat(lease.connection().id).isEqualTo(3);
        }
    }

    @Test
    void shrinkingClosesSurplusIdleNowAndSurplusInUseOnReturn() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4).idleTimeout(Duration.ZERO));
        List<Lease<FakeConnection>> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leases.add(pool.acquire());
        }
        leases.get(0).close();
        leases.get(1).close();
        pool.resize(1);
        assertThat(pool.stats().total()).isEqualTo(2);
        leases.get(2).close();
        assertThat(pool.stats().total()).isEqualTo(1);
        leases.get(3).close();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(pool.stats())
                .extracting(PoolStats::total, PoolStats::idle, PoolStats::maxSize).containsExactly(1, 1, 1));
    }

    @Test
    void growingServesWaitersAtOnce() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(1));
        Lease<FakeConnection> held = pool.acquire();
        CountDownLatch served = callInBackground(pool);
        await().until(() -> pool.stats().pending() == 1);
        pool.resize(2);
        assertThat(served.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        held.close();
    }

    @Test
    void resizeRejectsASizeBelowOne() {
        Pool<FakeConnection> pool = pool(builder());
        assertThatThrownBy(() -> pool.resize(0)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("maxSize");
    }

    @Test
    void pausedPoolMakesCallersWaitUntilResumed() throws Exception {
        Pool<FakeConnection> pool = pool(builder());
        pool.withConnection(c -> c.id);
        pool.pause();
        assertThat(pool.isPaused()).isTrue();
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(50)))
                .isInstanceOf(PoolExhaustedException.class).hasMessageContaining("the pool is paused");
        CountDownLatch served = callInBackground(pool);
        await().until(() -> pool.stats().pending() == 1);
        pool.resume();
        assertThat(served.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeWakesWaitersWithPoolClosed() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(1));
        Lease<FakeConnection> held = pool.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                pool.acquire(Duration.ofSeconds(30));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        await().until(() -> pool.stats().pending() == 1);
        pool.close();
        waiter.join(5000);
        assertThat(thrown.get()).isInstanceOf(PoolClosedException.class).hasMessageContaining("closed while waiting");
        assertThat(held.connection().closed).as("in use: closed when returned").isFalse();
        FakeConnection connection = held.connection();
        held.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> connection.closed); // closed on a worker
        assertThatThrownBy(pool::acquire).isInstanceOf(PoolClosedException.class);
    }

    @Test
    void closeWithGraceWaitsForReturnsThenClosesTheRest() throws Exception {
        Pool<FakeConnection> pool = pool(builder());
        Lease<FakeConnection> returnedInTime = pool.acquire();
        Lease<FakeConnection> neverReturned = pool.acquire();
        FakeConnection first = returnedInTime.connection();
        FakeConnection second = neverReturned.connection();
        Thread returner = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            returnedInTime.close();
        });
        returner.start();
        pool.close(Duration.ofMillis(500));
        assertThat(first.closed).isTrue();
        assertThat(second.closed).as("closed when the grace ran out").isTrue();
        neverReturned.close(); // late return after a forced close: harmless
        assertThat(factory.live).hasValue(0);
    }

    @Test
    void errorsFromClosingConnectionsAreThrownTogether() {
        Pool<FakeConnection> pool = pool(builder());
        List<Lease<FakeConnection>> leases = List.of(pool.acquire(), pool.acquire());
        leases.forEach(Lease::close);
        factory.failClose = true;
        assertThatThrownBy(pool::close).isInstanceOf(PoolException.class)
                .hasMessageContaining("closing 2 connection(s) failed")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
        pool.close(); // second close: nothing to do, no error
    }

    @Test
    void closeUnderLoadLeavesNoThreadWaitingAndNoConnectionOpen() throws Exception {
        // a long timeout: a caller stranded in the queue by close() would outlive the join below
        Pool<FakeConnection> pool = pool(builder().maxSize(4).maxPending(32).acquireTimeout(Duration.ofSeconds(60)));
        AtomicBoolean unexpected = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    try {
                        pool.withConnection(c -> {
                            c.enter();
                            c.exit();
                            return null;
                        });
                    } catch (PoolClosedException e) {
                        return;
                    } catch (PoolExhaustedException e) {
                        // over max-pending under this load: try again
                    } catch (Throwable e) {
                        unexpected.set(true);
                        return;
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        await().until(() -> pool.stats().successfulOperations() > 1000);
        pool.close(Duration.ofSeconds(2));
        for (Thread thread : threads) {
            thread.join(5000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(unexpected).isFalse();
        await().until(() -> factory.live.get() == 0);
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void closingTheLastPoolStopsTheBackgroundThreads() {
        Pool<FakeConnection> pool = pool(builder().minIdle(1));
        await().until(() -> pool.stats().idle() == 1);
        assertThat(connpoolThreads()).isNotEmpty();
        pool.close();
        await().until(() -> connpoolThreads().isEmpty());
    }

    static List<String> connpoolThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("connpool-") && !thread.getName().startsWith("connpool-stress") && thread.isAlive()) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
