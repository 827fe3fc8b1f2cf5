package io.connpool.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Suite 2, contended: 8 threads on a pool of 2 (and of 1). Throughput, and latency percentiles from
 * sample time:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Contended -bm thrpt
 * java -jar benchmarks/target/benchmarks.jar Contended -bm sample
 * </pre>
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(8)
public class ContendedBenchmark extends PeerBenchmark {

    @Param({"2", "1"})
    public int size;

    @Override
    protected int size() {
        return size;
    }
}
