package io.connpool;

import io.connpool.internal.KeyedExclusivePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The work a keyed pool does must not grow with the number of keys, nor turn quadratic when a key
 * holds many dead connections (drpcpool accepts that case; we do not). Work is counted, not timed:
 * keys visited to make room, and rebuilds of a key's connection array.
 */
class KeyedPoolComplexityTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private final KeyedFakeFactory factory = new KeyedFakeFactory();
    private final ManualTicker ticker = new ManualTicker();
    private KeyedExclusivePool<String, FakeConnection> pool;

    @Test
    void tenThousandKeysThroughAPoolOfOneHundredVisitAConstantNumberOfKeysPerEviction() {
        pool = invariants.track((KeyedExclusivePool<String, FakeConnection>) KeyedPool.builder(factory).ticker(ticker)
                .maxTotal(100).maxPerKey(1).build(), factory);
        for (int i = 0; i < 10_000; i++) {
            String key = "key-" + i;
            pool.withConnection(key, c -> c.id);
            ticker.advance(Duration.ofMillis(1_100));
        }
        PoolStats stats = pool.stats();
        assertThat(stats.total()).isEqualTo(100);
        assertThat(stats.created()).isEqualTo(10_000);
        long evictions = stats.created() - 100;
        assertThat(pool.keysVisitedToMakeRoom()).as("keys visited for %d evictions", evictions)
                .isLessThanOrEqualTo(2 * evictions);
        await().untilAsserted(() -> assertThat(pool.keys()).as("forgotten once empty").hasSizeLessThanOrEqualTo(100));
        assertThat(pool.indexedKeys()).isLessThanOrEqualTo(100);
        // the survivors are the 100 most recent keys, in LRU order
        assertThat(pool.keys()).allSatisfy(key -> assertThat(Integer.parseInt(key.substring(4))).isGreaterThanOrEqualTo(9_900));
    }

    @Test
    void aKeyWithHundredsOfDeadConnectionsIsCleanedWithLinearWork() {
        pool = invariants.track((KeyedExclusivePool<String, FakeConnection>) KeyedPool.builder(factory).ticker(ticker)
                .maxTotal(500).maxPerKey(500).maxPending(1_000).build(), factory);
        List<Lease<FakeConnection>> leases = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            leases.add(pool.acquire("big"));
        }
        leases.forEach(Lease::close);
        ticker.advance(Duration.ofSeconds(1));
        FakeFactory big = factory.of("big");
        big.all.stream().limit(400).forEach(c -> c.dead = true);
        assertThatThrownBy(() -> pool.withConnection("big", c -> {
            throw new IOException("connection reset");
        })).isInstanceOf(CallbackException.class);
        pool.runHousekeeping(); // the sweep after a broken connection; it also runs by itself
        for (int i = 0; i < 100; i++) {
            pool.withConnection("big", c -> {
                assertThat(c.dead).isFalse();
                return null;
            });
        }
        PoolStats stats = pool.stats("big");
        assertThat(stats.total()).isBetween(99, 100);
        assertThat(big.validations.get()).as("each connection validated about once").isLessThanOrEqualTo(600);
        assertThat(pool.engine("big").arrayRebuilds()).as("array rebuilds for 400 removals").isLessThanOrEqualTo(12);
    }
}
