package io.connpool.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One cycle (acquire, a little work, release) on each peer; the suites choose sizes and threads. */
@State(Scope.Benchmark)
public abstract class PeerBenchmark {

    @Param({"connpool-defaults", "connpool", "connpool-callback", "connpool-micrometer", "stormpot-defaults", "stormpot",
            "hikaricp", "hikari-bag", "commons-pool2", "array-queue"})
    public String peer;

    private Peers.Peer pool;

    /** Objects in the pool. */
    protected abstract int size();

    @Setup(Level.Trial)
    public void start() throws Exception {
        pool = Peers.create(peer, size());
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
