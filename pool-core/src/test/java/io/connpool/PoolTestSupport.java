package io.connpool;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Builds pools for a test and, after it, checks what must hold after any test: no connection was
 * leased twice at once, the counters add up, and closing the pool closes every connection.
 */
abstract class PoolTestSupport {

    final FakeFactory factory = new FakeFactory();
    private final List<Pool<?>> pools = new ArrayList<>();

    Pool.Builder<FakeConnection> builder() {
        return Pool.builder(factory).name("test").acquireTimeout(Duration.ofSeconds(5));
    }

    <C> Pool<C> track(Pool<C> pool) {
        pools.add(pool);
        return pool;
    }

    Pool<FakeConnection> pool(Pool.Builder<FakeConnection> builder) {
        return track(builder.build());
    }

    @AfterEach
    void checkInvariantsAndClose() {
        assertThat(factory.doubleLeases).as("connections leased to two holders at once").hasValue(0);
        for (Pool<?> pool : pools) {
            if (!pool.isClosed()) {
                PoolStats stats = pool.stats();
                if (stats.creating() == 0) {
                    assertThat(stats.created() - stats.destroyed()).as("created - destroyed of %s", pool.name())
                            .isEqualTo(stats.total());
                }
                factory.failClose = false;
                pool.close(Duration.ofSeconds(1));
            }
        }
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(factory.live).as("connections left open after close").hasValue(0));
        assertThat(factory.doubleCloses).as("connections closed twice").hasValue(0);
    }

    /** Starts a thread that makes one call on the pool; the latch opens when the call returned. */
    static CountDownLatch callInBackground(Pool<FakeConnection> pool) {
        CountDownLatch served = new CountDownLatch(1);
        new Thread(() -> {
            pool.withConnection(c -> c.id);
            served.countDown();
        }).start();
        return served;
    }

    static void runQuietly(StressTest.Operation operation) {
        try {
            operation.run();
        } catch (Exception ignored) {
            // the test checks the pool, not this call
        }
    }
}
