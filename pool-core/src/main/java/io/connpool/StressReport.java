package io.connpool;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link StressTest} measured.
 *
 * @param workers      threads that ran operations
 * @param operations   operations attempted (workers × operations per worker)
 * @param failures     operations that threw
 * @param failuresByType how many failures of each exception class
 * @param elapsed      wall time from the first operation to the last
 * @param throughput   operations per second
 * @param p50          median latency of one operation (acquire, work, release)
 * @param p99          99th percentile latency
 * @param p999         99.9th percentile latency
 * @param max          the slowest operation
 * @param stats        the pool's figures at the end
 */
public record StressReport(int workers, long operations, long failures, Map<String, Long> failuresByType,
                           Duration elapsed, double throughput, Duration p50, Duration p99, Duration p999,
                           Duration max, PoolStats stats) {

    public StressReport {
        failuresByType = Map.copyOf(failuresByType);
    }

    @Override
    public String toString() {
        return String.format("%d workers, %d operations in %d ms: %.0f ops/s, %d failed %s; latency p50 %d µs, "
                        + "p99 %d µs, p99.9 %d µs, max %d µs; pool total=%d idle=%d created=%d destroyed=%d timeouts=%d",
                workers, operations, elapsed.toMillis(), throughput, failures, failuresByType,
                p50.toNanos() / 1000, p99.toNanos() / 1000, p999.toNanos() / 1000, max.toNanos() / 1000,
                stats.total(), stats.idle(), stats.created(), stats.destroyed(), stats.timeouts());
    }
}
