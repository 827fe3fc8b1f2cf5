package io.connpool;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thread keeps "its" connection from one checkout to the next, so that threads settle on distinct
 * connections instead of passing one back and forth; a connection that leaves the pool stops being
 * anybody's.
 */
class HomeConnectionTest extends PoolTestSupport {

    @Test
    void aThreadGetsBackTheConnectionItReturnedLast() {
        Pool<FakeConnection> pool = warm(4);
        long first = idOfNextCheckout(pool);
        for (int i = 0; i < 100; i++) {
            assertThat(idOfNextCheckout(pool)).isEqualTo(first);
        }
    }

    @Test
    void aThreadThatHadToTakeAnotherConnectionKeepsTheOneItMovedTo() throws Exception {
        Pool<FakeConnection> pool = warm(2);
        long mine = idOfNextCheckout(pool);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (Lease<FakeConnection> lease = pool.acquire(info -> info.id() == mine)) {
                holding.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

        long moved = idOfNextCheckout(pool);
        done.countDown();
        other.join(5_000);

        assertThat(moved).isNotEqualTo(mine);
        // both are idle now: the thread stays where it moved, it does not go back to where it started
        for (int i = 0; i < 10; i++) {
            assertThat(idOfNextCheckout(pool)).isEqualTo(moved);
        }
    }

    @Test
    void aThreadWhoseConnectionWasClosedTakesAnother() {
        Pool<FakeConnection> pool = warm(2);
        long broken;
        try (Lease<FakeConnection> lease = pool.acquire()) {
            broken = lease.info().id();
            lease.invalidate();
        }
        // A broken connection makes the pool check its siblings in the background (the sweep holds
        // one for a moment) and replace it (its close, then the dial, on workers): let both finish,
        // or the thread's next checkouts race them for the connections.
        await().atMost(10, TimeUnit.SECONDS).until(() -> factory.validations.get() >= 1 && pool.stats().idle() == 2);
        long next = idOfNextCheckout(pool);
        assertThat(next).isNotEqualTo(broken);
        assertThat(idOfNextCheckout(pool)).isEqualTo(next);
    }

    @Test
    void aClosedConnectionIsNotKeptReachableByTheThreadThatUsedItLast() {
        // Its own factory: FakeFactory keeps every connection it made. Each checkout finds an idle
        // connection itself (min-idle refills), so it becomes the thread's own; closing 8 makes the
        // pool compact its array of connections, and only the per-thread table could still hold the last.
        AtomicLong opened = new AtomicLong();
        Pool<Object> pool = track(Pool.builder(() -> (Object) ("connection " + opened.incrementAndGet()))
                .name("weak").maxSize(9).minIdle(9).build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> pool.stats().idle() == 9);
        WeakReference<Object> lastClosed = null;
        for (int i = 0; i < 8; i++) {
            Lease<Object> lease = pool.acquire(Duration.ofSeconds(5));
            lastClosed = new WeakReference<>(lease.connection());
            lease.invalidate();
        }
        WeakReference<Object> closed = lastClosed;
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            System.gc();
            return closed.get() == null;
        });
    }

    private Pool<FakeConnection> warm(int size) {
        Pool<FakeConnection> pool = pool(builder().maxSize(size).minIdle(size));
        await().atMost(5, TimeUnit.SECONDS).until(() -> pool.stats().idle() == size);
        return pool;
    }

    private static long idOfNextCheckout(Pool<FakeConnection> pool) {
        try (Lease<FakeConnection> lease = pool.acquire()) {
            return lease.info().id();
        }
    }
}
