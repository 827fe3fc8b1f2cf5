package io.connpool.reliability;

import io.connpool.CallbackException;
import io.connpool.ConnectionInfo;
import io.connpool.Pool;
import io.connpool.PoolException;
import io.connpool.PoolListener;
import io.connpool.reliability.Ledger.Watched;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Callbacks that throw, block forever, or are interrupted: the pool loses nothing and says what happened. */
class CallbackFaultTest extends FaultTestSupport {

    private static final int SIZE = 2;

    @Override
    protected int maxSize() {
        return SIZE;
    }

    static final class Conn {
    }

    private final AtomicLong leakHeldNanos = new AtomicLong();

    private Pool<Watched<Conn>> pool() {
        return track(Pool.builder(ledger.watch(Conn::new)).name("callbacks").maxSize(SIZE).minIdle(SIZE)
                .acquireTimeout(Duration.ofSeconds(2)).leakDetectionThreshold(Duration.ofMillis(100))
                .listener(new PoolListener() {
                    @Override
                    public void onLeakSuspected(ConnectionInfo connection, long heldNanos) {
                        leakHeldNanos.set(heldNanos);
                    }
                }).build());
    }

    @Test
    void anApplicationExceptionReachesTheCallerAndTheConnectionGoesBack() {
        Pool<Watched<Conn>> pool = pool();
        IllegalStateException thrown = new IllegalStateException("order 42 rejected");
        assertThatThrownBy(() -> pool.withConnection(w -> ledger.hold(w, c -> {
            throw thrown;
        }))).isSameAs(thrown);
        assertThat(pool.stats().destroyed()).as("not a broken connection").isZero();
        assertThat(pool.stats().failedOperations()).isEqualTo(1);
        assertThat(ledger.operate(pool, c -> c)).isTrue();
    }

    @Test
    void anIoExceptionIsWrappedAndTheConnectionClosed() {
        Pool<Watched<Conn>> pool = pool();
        assertThatThrownBy(() -> pool.withConnection(w -> ledger.hold(w, c -> {
            throw new IOException("peer vanished");
        }))).isInstanceOf(CallbackException.class).hasMessageContaining("callbacks").hasMessageContaining("peer vanished");
        await().until(() -> pool.stats().destroyed() == 1);
        assertThat(ledger.operate(pool, c -> c)).isTrue();
    }

    @Test
    void aCallbackBlockedForeverIsReportedAsALeakWhileOthersAreServed() throws Exception {
        Pool<Watched<Conn>> pool = pool();
        CountDownLatch forever = new CountDownLatch(1);
        Thread stuck = started(() -> ledger.operate(pool, c -> {
            forever.await();
            return c;
        }));
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().leaks() == 1);
        assertThat(Duration.ofNanos(leakHeldNanos.get())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(pool.connections()).anySatisfy(c -> assertThat(c.leakSuspected()).isTrue());
        for (int i = 0; i < 100; i++) {
            assertThat(ledger.operate(pool, c -> c)).as("the other connection serves everyone else").isTrue();
        }
        forever.countDown();
        stuck.join(5000);
        figure("callback blocked: leak reported after %d ms (threshold 100 ms); 100 other calls served meanwhile",
                Duration.ofNanos(leakHeldNanos.get()).toMillis());
    }

    @Test
    void aCallerInterruptedWhileWaitingGetsAPoolExceptionAndKeepsItsInterrupt() throws Exception {
        Pool<Watched<Conn>> pool = pool();
        CountDownLatch release = new CountDownLatch(1);
        Thread[] holders = {
                started(() -> ledger.operate(pool, c -> release.await(10, java.util.concurrent.TimeUnit.SECONDS))),
                started(() -> ledger.operate(pool, c -> release.await(10, java.util.concurrent.TimeUnit.SECONDS)))};
        await().until(() -> pool.stats().inUse() == SIZE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = started(() -> {
            try {
                pool.withConnection(w -> w);
            } catch (PoolException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        await().until(() -> pool.stats().pending() == 1);
        waiter.interrupt();
        waiter.join(5000);
        assertThat(failure.get()).isInstanceOf(PoolException.class).hasMessageContaining("Interrupted");
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(pool.stats().pending()).isZero();
        release.countDown();
        for (Thread holder : holders) {
            holder.join(5000);
        }
        assertThat(pool.stats().idle()).as("nothing lost").isEqualTo(SIZE);
    }

    @Test
    void aCallbackInterruptedMidCallIsACallbackExceptionAndTheThreadStaysInterrupted() throws Exception {
        Pool<Watched<Conn>> pool = pool();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        CountDownLatch inCallback = new CountDownLatch(1);
        Thread caller = started(() -> {
            try {
                pool.withConnection(w -> ledger.hold(w, c -> {
                    inCallback.countDown();
                    Thread.sleep(10_000);
                    return c;
                }));
            } catch (PoolException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        inCallback.await();
        caller.interrupt();
        caller.join(5000);
        assertThat(failure.get()).isInstanceOf(CallbackException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(stillInterrupted.get()).isTrue();
        // the broken connection is closed on a worker, and replaced once its close has returned
        await().atMost(10, java.util.concurrent.TimeUnit.SECONDS)
                .until(() -> pool.stats().idle() + pool.stats().inUse() == SIZE);
    }
}
