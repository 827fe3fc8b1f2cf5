package io.connpool.reliability;

import io.connpool.CircuitState;
import io.connpool.ConnectionFailedException;
import io.connpool.ConnectionFactory;
import io.connpool.Pool;
import io.connpool.PoolException;
import io.connpool.reliability.Ledger.Watched;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Factories that throw, hang, or return null: callers get a PoolException that says so, and the pool recovers. */
class FactoryFaultTest extends FaultTestSupport {

    private static final int SIZE = 4;

    @Override
    protected int maxSize() {
        return SIZE;
    }

    /** A connection that costs nothing: these tests are about the factory. */
    static final class Conn {
    }

    private Pool<Watched<Conn>> pool(ConnectionFactory<Conn> factory) {
        return track(Pool.builder(ledger.watch(factory)).name("flaky").maxSize(SIZE).maxConnecting(2)
                .acquireTimeout(Duration.ofMillis(300)).connectBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .build());
    }

    @Test
    void throwingFactoryFailsCallersWithItsErrorAndThePoolRecoversWhenItHeals() {
        AtomicBoolean down = new AtomicBoolean(true);
        Pool<Watched<Conn>> pool = pool(() -> {
            if (down.get()) {
                throw new IOException("backend refused: maintenance window");
            }
            return new Conn();
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.withConnection(watched -> ledger.hold(watched, c -> c)))
                .isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("flaky").hasMessageContaining("backend refused: maintenance window")
                .hasRootCauseInstanceOf(IOException.class);
        long failedAfter = millisSince(start);
        assertThat(pool.stats().circuit()).isNotEqualTo(CircuitState.CLOSED);
        assertThat(pool.stats().createFailures()).isPositive();

        down.set(false);
        long healed = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.operate(pool, c -> c));
        figure("factory throwing: caller failed in %d ms with the factory's error; first success %d ms after it healed",
                failedAfter, millisSince(healed));
    }

    @Test
    void hangingFactoryCostsCallersTheirAcquireTimeoutAndNeverMoreThanMaxConnectingDials() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger dialing = new AtomicInteger();
        AtomicInteger mostDialing = new AtomicInteger();
        Pool<Watched<Conn>> pool = pool(() -> {
            mostDialing.accumulateAndGet(dialing.incrementAndGet(), Math::max);
            try {
                unblock.await();
                return new Conn();
            } finally {
                dialing.decrementAndGet();
            }
        });
        try {
            callersTimeOutWhileTheFactoryHangs(pool, mostDialing);
        } finally {
            unblock.countDown();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> ledger.operate(pool, c -> c));
    }

    private void callersTimeOutWhileTheFactoryHangs(Pool<Watched<Conn>> pool, AtomicInteger mostDialing) throws Exception {
        List<Thread> callers = new ArrayList<>();
        List<Long> waited = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            callers.add(started(() -> {
                long start = System.nanoTime();
                assertThat(ledger.operate(pool, c -> c)).isFalse();
                waited.add(millisSince(start));
            }));
        }
        for (Thread caller : callers) {
            caller.join(5000);
        }
        assertThat(ledger.failuresByType()).containsOnlyKeys("PoolExhaustedException");
        assertThat(waited).allSatisfy(ms -> assertThat(ms).isBetween(250L, 2000L));
        assertThat(mostDialing.get()).as("dials at once").isLessThanOrEqualTo(2);
        assertThatThrownBy(() -> pool.withConnection(w -> w)).isInstanceOf(PoolException.class)
                .hasMessageContaining("connecting=2");
        figure("factory hanging: 6 callers each failed after %s ms (acquire-timeout 300 ms); at most %d dials at once",
                waited, mostDialing.get());
    }

    @Test
    void tcpConnectPastConnectTimeoutFailsWithTheTimeout() throws Exception {
        // A listener that never accepts, its backlog full: the kernel drops further SYNs, so connect() hangs.
        try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), stuck.getLocalPort()), 100);
                    } catch (SocketTimeoutException full) {
                        filler.close();
                        break;
                    }
                    fillers.add(filler);
                }
                Pool<Watched<TcpConnection>> pool = track(Pool.builder(ledger.watch(
                                TcpConnectionFactory.to("127.0.0.1", stuck.getLocalPort()).connectTimeout(Duration.ofMillis(200)).build()))
                        .name("stuck").maxSize(SIZE).acquireTimeout(Duration.ofSeconds(2)).build());
                long start = System.nanoTime();
                assertThatThrownBy(() -> pool.withConnection(w -> w)).isInstanceOf(ConnectionFailedException.class)
                        .hasMessageContaining("stuck").hasRootCauseInstanceOf(SocketTimeoutException.class);
                long failedAfter = millisSince(start);
                assertThat(failedAfter).isBetween(150L, 1900L);
                figure("tcp connect to a listener with a full backlog: failed after %d ms (connect-timeout 200 ms)", failedAfter);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void factoryReturningNullIsAConnectionFailureThatSaysSo() {
        Pool<Watched<Conn>> pool = pool(() -> null);
        assertThatThrownBy(() -> pool.withConnection(w -> w)).isInstanceOf(ConnectionFailedException.class)
                .hasMessageContaining("flaky").hasMessageContaining("returned null");
        assertThat(ledger.opened()).isZero();
    }
}
