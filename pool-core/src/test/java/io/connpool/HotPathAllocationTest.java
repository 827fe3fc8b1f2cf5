package io.connpool;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an idle connection available, a checkout and its return allocate nothing once the JIT has
 * compiled the caller (measured by {@link AllocationMeter}: bytes, never time).
 */
class HotPathAllocationTest extends PoolTestSupport {

    private static final ConnectionCallback<FakeConnection, Integer> ID = c -> c.id;

    @Test
    void withConnectionAllocatesNothingWhenAConnectionIsIdle() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        assertThat(AllocationMeter.bytesPerOperationOnceCompiled(pool, HotPathAllocationTest::withConnection))
                .as("bytes allocated per withConnection").isLessThan(0.1);
    }

    @Test
    void acquireAndCloseAllocateNothingWhenTheLeaseStaysLocal() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        // The Lease object is new per checkout; escape analysis removes it when the caller keeps it local.
        assertThat(AllocationMeter.bytesPerOperationOnceCompiled(pool, HotPathAllocationTest::acquireAndClose))
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
}
