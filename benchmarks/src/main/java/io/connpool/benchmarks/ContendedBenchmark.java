package io.connpool.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
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
@State(Scope.Benchmark)
public class ContendedBenchmark {

    @Param({"connpool", "connpool-callback", "stormpot", "hikari-bag", "commons-pool2", "array-queue"})
    public String peer;

    @Param({"2", "1"})
    public int size;

    private Peers.Peer pool;

    @Setup(Level.Trial)
    public void start() throws Exception {
        pool = Peers.create(peer, size);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pool.close();
    }

    @Benchmark
    public long cycle() throws Exception {
        return pool.operate();
    }
}
