package io.connpool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keyed checkout allocates nothing either, once compiled (a lambda capturing the timeout once did,
 * on every call). In the keyed benchmark the lease also escaped while the keyed acquire was too big
 * for the JIT to inline into its caller, and while its retry path returned a lease of its own (see
 * KeyedExclusivePool.acquire); the JIT's sizes here differ, so this test does not catch those two:
 * {@code -prof gc} on KeyedBenchmark does.
 */
class KeyedHotPathAllocationTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private final KeyedFakeFactory factory = new KeyedFakeFactory();
    private final KeyedPool<String, FakeConnection> pool = invariants.track(KeyedPool.builder(factory).name("keyed")
            .maxPerKey(2).minIdlePerKey(2).acquireTimeout(Duration.ofSeconds(5)).build(), factory);
    private final String[] keys = {"alpha", "beta", "gamma", "delta"};
    private int next;

    @Test
    void acquireAndCloseOnKeysAllocateNothingWhenAConnectionIsIdle() {
        assertThat(AllocationMeter.bytesPerOperationOnceCompiled(this, KeyedHotPathAllocationTest::acquireAndClose))
                .as("bytes allocated per keyed acquire + close").isLessThan(0.1);
    }

    private int acquireAndClose() {
        String key = keys[next++ & 3];
        try (Lease<FakeConnection> lease = pool.acquire(key)) {
            return lease.connection().id;
        }
    }
}
