package io.connpool;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an idle connection available, a checkout and its return allocate nothing. Measured with the
 * JVM's per-thread allocation counter, so the test asserts bytes, never time.
 */
class HotPathAllocationTest extends PoolTestSupport {

    private static final ConnectionCallback<FakeConnection, Integer> ID = c -> c.id;

    @Test
    void withConnectionAllocatesNothingWhenAConnectionIsIdle() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        long sum = 0;
        for (int i = 0; i < 50_000; i++) { // warm up: class loading, JIT, counters' first cells
            sum += pool.withConnection(ID);
        }
        long thread = Thread.currentThread().getId();
        int operations = 200_000;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < operations; i++) {
            sum += pool.withConnection(ID);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(sum).isEqualTo(250_000);
        assertThat((double) allocated / operations).as("bytes allocated per withConnection").isLessThan(0.1);
    }
}
