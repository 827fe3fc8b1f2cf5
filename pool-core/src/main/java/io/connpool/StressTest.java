package io.connpool;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts a pool under load before production does: {@code workers} threads each run
 * {@code operationsPerWorker} operations as fast as they can, and the report gives throughput,
 * latency percentiles, failures by type and the pool's final figures.
 *
 * <pre>{@code
 * StressReport report = StressTest.run(pool, 16, 10_000, conn -> conn.ping());
 * System.out.println(report);
 * }</pre>
 */
public final class StressTest {

    /** One operation of the load; it may throw, which counts as a failure. */
    @FunctionalInterface
    public interface Operation {
        void run() throws Exception;
    }

    private StressTest() {
    }

    /** Runs {@code callback} through {@link Pool#withConnection} {@code workers × operationsPerWorker} times. */
    public static <C> StressReport run(Pool<C> pool, int workers, int operationsPerWorker,
                                       ConnectionCallback<C, ?> callback) {
        return run(pool, workers, operationsPerWorker, () -> pool.withConnection(callback));
    }

    /** Runs {@code operation} {@code workers × operationsPerWorker} times and reports on {@code pool}. */
    public static StressReport run(ManagedPool pool, int workers, int operationsPerWorker, Operation operation) {
        if (workers < 1) {
            throw new InvalidConfigException("workers", workers, "at least 1");
        }
        if (operationsPerWorker < 1) {
            throw new InvalidConfigException("operationsPerWorker", operationsPerWorker, "at least 1");
        }
        long[][] latencies = new long[workers][operationsPerWorker];
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workers);
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            long[] mine = latencies[w];
            threads[w] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < operationsPerWorker; i++) {
                        long t0 = System.nanoTime();
                        try {
                            operation.run();
                        } catch (Exception e) {
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        }
                        mine[i] = System.nanoTime() - t0;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "connpool-stress-" + (w + 1));
            threads[w].start();
        }
        long began = System.nanoTime();
        start.countDown();
        try {
            done.await();
        } catch (InterruptedException e) {
            for (Thread thread : threads) {
                thread.interrupt();
            }
            Thread.currentThread().interrupt();
            throw new PoolException("Stress test of pool '" + pool.name() + "' interrupted", e);
        }
        long elapsed = System.nanoTime() - began;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Long> byType = new TreeMap<>();
        failures.forEach((type, count) -> byType.put(type, count.get()));
        long failed = byType.values().stream().mapToLong(Long::longValue).sum();
        return new StressReport(workers, all.length, failed, byType, Duration.ofNanos(elapsed),
                all.length / (elapsed / 1e9), percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999),
                Duration.ofNanos(all[all.length - 1]), pool.stats());
    }

    private static Duration percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }
}
