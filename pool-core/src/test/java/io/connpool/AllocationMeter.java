package io.connpool;

import java.lang.management.ManagementFactory;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes allocated per operation once the JIT has compiled the caller, from the JVM's per-thread
 * allocation counter, in rounds until the compiler has caught up (at most 20). Whether an object is
 * scalar-replaced depends on what the JIT has seen, so a test that uses this runs in a JVM of its
 * own (see the hot-path-allocation execution in pom.xml) and measures one kind of operation: a
 * third operation through the same loop makes its call megamorphic and changes the inlining.
 */
final class AllocationMeter {

    private static final int ROUND = 100_000;

    private AllocationMeter() {
    }

    static <P> double bytesPerOperationOnceCompiled(P pool, ToIntFunction<P> operation) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double best = Double.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < 20 && best >= 0.1; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ROUND; i++) {
                sum += operation.applyAsInt(pool);
            }
            best = Math.min(best, (double) (threads.getThreadAllocatedBytes(thread) - before) / ROUND);
        }
        assertThat(sum).isPositive();
        return best;
    }
}
