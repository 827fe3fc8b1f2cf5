package io.connpool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads against a small pool, with the invariants checked at every step: never more live
 * connections than maxSize (counted by the factory, so connections being dialed count too), never one
 * connection held by two threads, and the counters adding up at the end.
 */
class PoolStressTest extends PoolTestSupport {

    private static final int THREADS = 16;

    @Test
    void sixteenThreadsOnAPoolOfFourKeepEveryInvariant() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(4).maxPending(THREADS).acquireTimeout(Duration.ofSeconds(10)));
        AtomicInteger maxInUseSeen = new AtomicInteger();
        AtomicLong operations = new AtomicLong();
        List<Throwable> failures = runThreads(THREADS, 3_000, i -> {
            pool.withConnection(c -> {
                c.enter();
                try {
                    maxInUseSeen.accumulateAndGet(pool.stats().inUse(), Math::max);
                    if (i % 7 == 0) {
                        Thread.yield();
                    }
                    return operations.incrementAndGet();
                } finally {
                    c.exit();
                }
            });
        });
        assertThat(failures).isEmpty();
        assertThat(operations).hasValue(THREADS * 3_000L);
        assertThat(factory.maxLive).as("live connections at any moment").hasValueLessThanOrEqualTo(4);
        assertThat(maxInUseSeen).hasValueLessThanOrEqualTo(4);
        PoolStats stats = pool.stats();
        assertThat(stats.created() - stats.destroyed()).isEqualTo(stats.total());
        assertThat(stats.inUse()).isZero();
        assertThat(stats.pending()).isZero();
        assertThat(stats.successfulOperations()).isEqualTo(THREADS * 3_000L);
    }

    @Test
    void stressWithBrokenConnectionsAndInvalidationsKeepsEveryInvariant() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(4).maxPending(THREADS).acquireTimeout(Duration.ofSeconds(10)));
        AtomicInteger broken = new AtomicInteger();
        List<Throwable> failures = runThreads(THREADS, 1_500, i -> {
            int dice = ThreadLocalRandom.current().nextInt(20);
            if (dice == 0) {
                try (Lease<FakeConnection> lease = pool.acquire()) {
                    lease.connection().enter();
                    lease.connection().exit();
                    lease.invalidate();
                }
            } else if (dice == 1) {
                try {
                    pool.withConnection(c -> {
                        c.enter();
                        c.exit();
                        throw new IOException("broken pipe");
                    });
                } catch (CallbackException expected) {
                    broken.incrementAndGet();
                }
            } else {
                pool.withConnection(c -> {
                    c.enter();
                    c.exit();
                    return null;
                });
            }
        });
        assertThat(failures).isEmpty();
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(4);
        PoolStats stats = pool.stats();
        assertThat(stats.created() - stats.destroyed()).isEqualTo(stats.total());
        assertThat(stats.failedOperations()).isEqualTo(broken.get());
        await().atMost(10, TimeUnit.SECONDS).until(() -> factory.live.get() == pool.stats().total()); // closes on workers
    }

    @Test
    void resizeUpAndDownUnderLoadNeverExceedsTheCurrentCap() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(4).maxPending(THREADS).acquireTimeout(Duration.ofSeconds(10)));
        AtomicBoolean stop = new AtomicBoolean();
        Thread resizer = new Thread(() -> {
            int[] sizes = {2, 6, 1, 4, 8, 3};
            for (int round = 0; !stop.get(); round++) {
                pool.resize(sizes[round % sizes.length]);
                Thread.yield();
            }
        });
        resizer.start();
        List<Throwable> failures = runThreads(THREADS, 1_000, i -> pool.withConnection(c -> {
            c.enter();
            c.exit();
            return null;
        }));
        stop.set(true);
        resizer.join();
        assertThat(failures).isEmpty();
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(8);
        pool.resize(2);
        assertThat(pool.stats().total()).isLessThanOrEqualTo(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> factory.live.get() <= 2); // closes on workers
    }

    interface Step {
        void run(int i) throws Exception;
    }

    static List<Throwable> runThreads(int threads, int iterations, Step step) throws InterruptedException {
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < iterations; i++) {
                    try {
                        step.run(i);
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "stress-" + t);
            thread.start();
            all.add(thread);
        }
        for (Thread thread : all) {
            thread.join(60_000);
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        return failures;
    }
}
