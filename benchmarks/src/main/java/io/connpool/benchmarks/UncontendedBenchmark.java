package io.connpool.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Suite 1, uncontended: a pool of 16 objects, fewer threads than objects; throughput of acquire,
 * a little work, release. Run with {@code -t 1}, {@code -t 2}, {@code -t 4}, {@code -t 8}:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Uncontended -t 4
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class UncontendedBenchmark extends PeerBenchmark {

    @Param("16")
    public int size;

    @Override
    protected int size() {
        return size;
    }
}
