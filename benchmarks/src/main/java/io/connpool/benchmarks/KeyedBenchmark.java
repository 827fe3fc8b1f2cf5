package io.connpool.benchmarks;

import io.connpool.KeyedPool;
import io.connpool.Lease;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;
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
import org.openjdk.jmh.infra.ThreadParams;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Suite 3, keyed: 4 threads, each cycle on a random key, 4 connections per key, all warm. {@code keys=4}:
 * connpool's KeyedPool against commons-pool2's GenericKeyedObjectPool; {@code keys=10000}: connpool
 * alone, to show how the cost per cycle grows with keys. The connections per key are the same at both
 * sizes, so that only the number of keys changes: with one connection per key (an earlier version of
 * this suite) the 4 threads shared each key's connection, and its cache line travelled between the
 * cores on most cycles, pool or not.
 *
 * <p>{@code direct-4} and {@code direct-10000} do the same work without a pool, on the key's
 * connections looked up in a {@code ConcurrentHashMap} (as many per key as the pool keeps, each thread
 * on its own one as a pool's lease would give): at 10,000 random keys every cycle touches memory no
 * cache holds, pool or not, and the difference between a pool row and its direct row is what the
 * pool itself costs.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Keyed
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(4)
@State(Scope.Benchmark)
public class KeyedBenchmark {

    @Param({"connpool-4", "commons-pool2-4", "direct-4", "connpool-10000", "direct-10000"})
    public String setup;

    private static final int PER_KEY = 4;

    private KeyedPool<Integer, Peers.Conn> connpool;
    private GenericKeyedObjectPool<Integer, Peers.Conn> commons;
    private Map<Integer, Peers.Conn[]> direct;
    private int keys;
    /** The keys, boxed once: an application holds its keys (host names, tenant ids); boxing 10,000
     * integers per cycle would measure the allocator, not the pool. */
    private Integer[] boxedKeys;

    @Setup(Level.Trial)
    public void start() throws Exception {
        keys = Integer.parseInt(setup.substring(setup.lastIndexOf('-') + 1));
        boxedKeys = new Integer[keys];
        for (int key = 0; key < keys; key++) {
            boxedKeys[key] = key;
        }
        if (setup.startsWith("direct")) {
            direct = new ConcurrentHashMap<>();
            for (int key = 0; key < keys; key++) {
                Peers.Conn[] conns = new Peers.Conn[PER_KEY];
                java.util.Arrays.setAll(conns, i -> new Peers.Conn());
                direct.put(boxedKeys[key], conns);
            }
        } else if (setup.startsWith("connpool")) {
            connpool = KeyedPool.<Integer, Peers.Conn>builder(key -> new Peers.Conn()).name("bench")
                    .maxTotal(keys * PER_KEY).maxPerKey(PER_KEY).minIdlePerKey(PER_KEY).maxPending(1024)
                    .validateOnBorrow(false).idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO).build();
            for (int key = 0; key < keys; key++) {
                // the same Integer the cycles use, as the direct map has: the pool keeps the key it was
                // first given, and an equal but distinct key costs the lookup one more cache miss
                connpool.withConnection(boxedKeys[key], Peers.Conn::work);
            }
        } else {
            GenericKeyedObjectPoolConfig<Peers.Conn> config = new GenericKeyedObjectPoolConfig<>();
            config.setMaxTotalPerKey(PER_KEY);
            config.setMaxIdlePerKey(PER_KEY);
            config.setMaxTotal(keys * PER_KEY);
            config.setJmxEnabled(false);
            config.setTestOnBorrow(false);
            config.setTestOnReturn(false);
            config.setTestWhileIdle(false);
            config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
            commons = new GenericKeyedObjectPool<>(new BaseKeyedPooledObjectFactory<>() {
                @Override
                public Peers.Conn create(Integer key) {
                    return new Peers.Conn();
                }

                @Override
                public PooledObject<Peers.Conn> wrap(Peers.Conn conn) {
                    return new DefaultPooledObject<>(conn);
                }
            }, config);
            commons.setCollectDetailedStatistics(false);
            for (int key = 0; key < keys; key++) {
                commons.addObjects(java.util.List.of(boxedKeys[key]), PER_KEY);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (connpool != null) {
            connpool.close();
        }
        if (commons != null) {
            commons.close();
        }
    }

    @Benchmark
    public long cycle(ThreadParams thread) throws Exception {
        Integer key = boxedKeys[ThreadLocalRandom.current().nextInt(keys)];
        if (direct != null) {
            Peers.Conn[] conns = direct.get(key);
            return conns[thread.getThreadIndex() % conns.length].work();
        }
        if (connpool != null) {
            try (Lease<Peers.Conn> lease = connpool.acquire(key)) {
                return lease.connection().work();
            }
        }
        Peers.Conn conn = commons.borrowObject(key);
        try {
            return conn.work();
        } finally {
            commons.returnObject(key, conn);
        }
    }
}
