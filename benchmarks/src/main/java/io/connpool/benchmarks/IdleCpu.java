package io.connpool.benchmarks;

import io.connpool.Pool;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How much CPU an idle pool burns: a pool of 8 warm connections (default settings: housekeeping on)
 * sits unused for the given seconds (default 30) while the JVM's process CPU time is measured.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.connpool.benchmarks.IdleCpu 30
 * java -cp benchmarks/target/benchmarks.jar io.connpool.benchmarks.IdleCpu 30 baseline   # same JVM, no pool
 * </pre>
 */
public final class IdleCpu {

    private IdleCpu() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        boolean baseline = args.length > 1 && "baseline".equals(args[1]);
        try (Pool<Object> pool = baseline ? null : Pool.builder(Object::new).name("idle").maxSize(8).minIdle(8).build()) {
            while (pool != null && pool.stats().idle() < 8) {
                Thread.sleep(1);
            }
            System.gc();
            Thread.sleep(1_000);
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            System.out.printf("%s for %d s: whole JVM used %.1f ms of CPU (%.4f %% of one core)%n",
                    baseline ? "no pool (baseline)" : "idle pool of 8", seconds, cpu / 1e6, 100.0 * cpu / wall);
        }
    }
}
