package io.connpool.autoconfigure;

import io.connpool.Pool;
import io.connpool.PoolStats;
import io.connpool.Routing;
import io.connpool.SharedPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property defaults repeat the builders' (the configuration processor needs literal initializers
 * to document them): this test keeps the two from drifting apart.
 */
class PoolPropertiesDefaultsTest {

    @Test
    void propertyDefaultsAreTheBuilderDefaults() {
        PoolProperties properties = new PoolProperties();
        try (Pool<Object> pool = Pool.builder(Object::new).build();
             SharedPool<Object> shared = SharedPool.builder(Object::new).build()) {
            PoolStats stats = pool.stats();
            assertThat(properties.getMaxSize()).isEqualTo(stats.maxSize());
            assertThat(properties.getMinIdle()).isEqualTo(stats.minIdle());
            assertThat(shared.stats().maxSize()).isEqualTo(properties.getMaxSize());
        }
        // the documented defaults of PoolSettings (README "Settings and defaults")
        assertThat(properties.getAcquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(properties.isValidateOnBorrow()).isTrue();
        assertThat(properties.getValidateAfterInactivity()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.getKeepaliveInterval()).isZero();
        assertThat(properties.isRevive()).isTrue();
        assertThat(properties.getLeakDetectionThreshold()).isZero();
        assertThat(properties.getMaxCallsPerConnection()).isEqualTo(100);
        assertThat(properties.getRouting()).isEqualTo(Routing.LEAST_IN_FLIGHT);
        assertThat(properties.getMaxPerKey()).isEqualTo(10);
        assertThat(properties.getMode()).isEqualTo(PoolProperties.Mode.EXCLUSIVE);
        assertThat(properties.getConnectBackoffInitial()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.getConnectBackoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getMaxConnecting()).isEqualTo(2);
        // TcpConnectionFactory's
        assertThat(properties.isTcpNoDelay()).isTrue();
        assertThat(properties.isTcpKeepAlive()).isTrue();
    }
}
