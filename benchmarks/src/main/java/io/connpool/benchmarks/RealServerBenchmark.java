package io.connpool.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Measurement;

import java.util.concurrent.TimeUnit;

/**
 * Suite 5's shape: one GET round trip to a real redis-server per operation, from 8 and from 32 threads,
 * as throughput and as latency percentiles (sample time). Subclasses start the server and the peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
public abstract class RealServerBenchmark {

    static final String KEY = "bench:key";
    static final String VALUE = "0123456789abcdef";

    /** One GET of {@link #KEY} through the peer. */
    protected abstract Object get() throws Exception;

    @Benchmark
    @Threads(8)
    public Object get8Threads() throws Exception {
        return get();
    }

    @Benchmark
    @Threads(32)
    public Object get32Threads() throws Exception {
        return get();
    }
}
