package io.connpool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StressTestUtilityTest extends PoolTestSupport {

    @Test
    void reportsThroughputLatencyFailuresAndFinalStats() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4).maxPending(8));
        int[] calls = {0};
        StressReport report = StressTest.run(pool, 8, 500, c -> {
            synchronized (calls) {
                if (++calls[0] % 100 == 0) {
                    throw new IllegalStateException("every hundredth call fails");
                }
            }
            return c.id;
        });
        assertThat(report.operations()).isEqualTo(4_000);
        assertThat(report.failures()).isEqualTo(40);
        assertThat(report.failuresByType()).containsEntry("IllegalStateException", 40L);
        assertThat(report.throughput()).isPositive();
        assertThat(report.p50()).isLessThanOrEqualTo(report.p99());
        assertThat(report.p99()).isLessThanOrEqualTo(report.p999());
        assertThat(report.p999()).isLessThanOrEqualTo(report.max());
        assertThat(report.stats().successfulOperations()).isEqualTo(3_960);
        assertThat(report.stats().failedOperations()).isEqualTo(40);
        assertThat(report.toString()).contains("8 workers, 4000 operations");
    }

    @Test
    void rejectsNonsense() {
        Pool<FakeConnection> pool = pool(builder());
        assertThatThrownBy(() -> StressTest.run(pool, 0, 10, c -> c.id)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("workers");
    }
}
