package io.connpool;

import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Builds pools for a test of {@link Pool} over a {@link FakeFactory}; {@link PoolInvariants} checks
 * them after each test and closes them.
 */
abstract class PoolTestSupport {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    final FakeFactory factory = invariants.watch(new FakeFactory());

    Pool.Builder<FakeConnection> builder() {
        return Pool.builder(factory).name("test").acquireTimeout(Duration.ofSeconds(5));
    }

    /** A pool over a factory of the test's own, with no ledger: the invariants check what its stats say. */
    <C> Pool<C> track(Pool<C> pool) {
        return invariants.track(pool);
    }

    Pool<FakeConnection> pool(Pool.Builder<FakeConnection> builder) {
        return invariants.track(builder.build(), factory);
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
