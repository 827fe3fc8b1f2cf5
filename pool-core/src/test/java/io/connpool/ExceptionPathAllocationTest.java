package io.connpool;

import org.junit.jupiter.api.Test;

import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real work in a try-with-resources block calls out (I/O) to code the JIT does not inline, so the
 * block keeps its exception path, with a {@code close()} call site that never runs. The lease must
 * not escape there either (see PooledLease): before {@code close()} was made small enough to be
 * inlined at such a site, every checkout allocated its 16-byte lease.
 */
class ExceptionPathAllocationTest extends PoolTestSupport {

    /** Three receiver classes make the call site megamorphic: the JIT calls it without inlining. */
    private static final IntUnaryOperator[] NOT_INLINED = {x -> x + 1, x -> x + 2, x -> x ^ 3};

    private static int calls;

    @Test
    void acquireAndCloseAllocateNothingWhenTheBlockCallsCodeThatMayThrow() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        assertThat(AllocationMeter.bytesPerOperationOnceCompiled(pool, ExceptionPathAllocationTest::acquireCallOutAndClose))
                .as("bytes allocated per acquire + call out + close").isLessThan(0.1);
    }

    private static int acquireCallOutAndClose(Pool<FakeConnection> pool) {
        try (Lease<FakeConnection> lease = pool.acquire()) {
            return NOT_INLINED[calls++ % NOT_INLINED.length].applyAsInt(lease.connection().id);
        }
    }
}
