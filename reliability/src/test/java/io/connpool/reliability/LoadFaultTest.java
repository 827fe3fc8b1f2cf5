package io.connpool.reliability;

import io.connpool.Pool;
import io.connpool.reliability.Ledger.Watched;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;
import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** resize() and close() while 32 threads hammer the pool over real sockets. */
class LoadFaultTest extends EchoServerFaultTestSupport {

    private static final int LARGEST = 16;
    private static final int THREADS = 32;

    @Override
    protected int maxSize() {
        return LARGEST;
    }

    private Pool<Watched<TcpConnection>> pool() {
        return track(Pool.builder(ledger.watch(TcpConnectionFactory.to("127.0.0.1", server.port())
                        .readTimeout(Duration.ofSeconds(2)).build()))
                .name("load").maxSize(8).minIdle(2).maxPending(THREADS).acquireTimeout(Duration.ofSeconds(2)).build());
    }

    private List<Thread> hammer(Pool<Watched<TcpConnection>> pool, AtomicBoolean stop) {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String text = "w" + t;
            workers.add(started(() -> {
                while (!stop.get()) {
                    if (!ledger.operate(pool, c -> EchoServer.roundTrip(c.in(), c.out(), text)) && pool.isClosed()) {
                        return;
                    }
                }
            }));
        }
        return workers;
    }

    @Test
    void resizeUnderLoadKeepsTheLiveCountWithinTheLargestMaxAndLosesNoCall() throws Exception {
        Pool<Watched<TcpConnection>> pool = pool();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = hammer(pool, stop);
        int[] sizes = {2, 16, 1, 8, 4, 16, 3};
        AtomicInteger overMax = new AtomicInteger();
        for (int size : sizes) {
            pool.resize(size);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            while (System.nanoTime() < until) {
                // once a shrink has settled (connections closed on return), the pool stays within the new max
                if (pool.stats().total() > LARGEST) {
                    overMax.incrementAndGet();
                }
                Thread.sleep(5);
            }
            assertThat(pool.stats().total()).as("settled at maxSize %d", size).isLessThanOrEqualTo(size);
        }
        stop.set(true);
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        assertThat(overMax).hasValue(0);
        assertThat(ledger.failed()).as(ledger.toString()).isZero();
        figure("resize %s under %d threads: %s", java.util.Arrays.toString(sizes), THREADS, ledger);
    }

    @Test
    void closeUnderLoadFailsLaterCallsWithPoolClosedAndClosesEverything() throws Exception {
        Pool<Watched<TcpConnection>> pool = pool();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = hammer(pool, stop);
        Thread.sleep(500);
        long start = System.nanoTime();
        pool.close(Duration.ofSeconds(2));
        long closedIn = millisSince(start);
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        stop.set(true);
        assertThat(ledger.open()).isZero();
        assertThat(ledger.failuresByType().keySet()).isSubsetOf("PoolClosedException");
        figure("close(2 s) under %d threads: returned in %d ms; %s", THREADS, closedIn, ledger);
    }
}
