package io.connpool.benchmarks;

import io.connpool.SharedPool;
import io.connpool.Ticker;
import io.connpool.internal.Engine;
import io.connpool.internal.PoolConfig;
import io.connpool.internal.SharedConnectionPool;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of routing a call through a {@link SharedPool} against calling the connection directly,
 * per routing strategy. Four connections, 64 calls each at most, warm; each operation is one call
 * doing a little work on the connection. Run (1, 2 and 8 threads):
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * for t in 1 2 8; do java -jar benchmarks/target/benchmarks.jar SharedRouting -t $t; done
 * </pre>
 *
 * {@code UNIFORM_RANDOM} is not offered to users; it is here to measure {@link io.connpool.Routing#RANDOM}
 * (power of two choices) against plain random picking.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SharedRoutingBenchmark {

    /** A thread-safe connection doing a little work per call. */
    public static final class Channel {
        public long call(long x) {
            Blackhole.consumeCPU(20);
            return x + 1;
        }
    }

    @Param({"ROUND_ROBIN", "LEAST_IN_FLIGHT", "TWO_CHOICES", "UNIFORM_RANDOM"})
    public String router;

    private SharedPool<Channel> pool;
    private final Channel direct = new Channel();

    @Setup(Level.Trial)
    public void start() throws Exception {
        // Built from the internal constructor so that UNIFORM_RANDOM, which Routing does not offer, can run.
        PoolConfig config = new PoolConfig("bench", 4, 4, 4, Duration.ofSeconds(30).toNanos(), 4 * 64 * 4, 0, 0,
                false, 0, 0, true, 0, List.of(), Ticker.system(), Duration.ofMillis(200).toNanos(),
                Duration.ofSeconds(10).toNanos(), 2, e -> false, Map.of(), Duration.ofMillis(1).toNanos(),
                Duration.ofSeconds(5).toNanos());
        pool = new SharedConnectionPool<>(config, Channel::new, 64, Engine.Router.valueOf(router));
        while (pool.stats().idle() < 4) {
            Thread.sleep(1);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
    }

    @Benchmark
    public long routed() {
        return pool.call(c -> c.call(1));
    }

    @Benchmark
    public long direct() {
        return direct.call(1);
    }
}
