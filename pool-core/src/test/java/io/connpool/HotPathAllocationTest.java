package io.connpool;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an idle connection available, a checkout and its return allocate nothing once the JIT has
 * compiled the caller. Measured with the JVM's per-thread allocation counter, in rounds until the
 * compiler has caught up (at most 20 rounds), so the test asserts bytes, never time.
 */
class HotPathAllocationTest extends PoolTestSupport {

    private static final int ROUND = 100_000;

    private static final ConnectionCallback<FakeConnection, Integer> ID = c -> c.id;

    @Test
    void withConnectionAllocatesNothingWhenAConnectionIsIdle() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        assertThat(bytesPerOperationOnceCompiled(pool, HotPathAllocationTest::withConnection))
                .as("bytes allocated per withConnection").isLessThan(0.1);
    }

    @Test
    void acquireAndCloseAllocateNothingWhenTheLeaseStaysLocal() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        // The Lease object is new per checkout; escape analysis removes it when the caller keeps it local.
        assertThat(bytesPerOperationOnceCompiled(pool, HotPathAllocationTest::acquireAndClose))
                .as("bytes allocated per acquire + close").isLessThan(0.1);
    }

    private static int withConnection(Pool<FakeConnection> pool) {
        return pool.withConnection(ID);
    }

    private static int acquireAndClose(Pool<FakeConnection> pool) {
        try (Lease<FakeConnection> lease = pool.acquire()) {
            return lease.connection().id;
        }
    }

    private static double bytesPerOperationOnceCompiled(Pool<FakeConnection> pool, ToIntFunction<Pool<FakeConnection>> operation) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double best = Double.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < 20 && best >= 0.1; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ROUND; i++) {
                sum += operation.applyAsInt(pool);
            }
            best = Math.min(best, (double) (threads.getThreadAllocatedBytes(thread) - before) / ROUND);
        }
        assertThat(sum).isPositive();
        return best;
    }
}
