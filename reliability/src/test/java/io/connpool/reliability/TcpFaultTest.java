package io.connpool.reliability;

import io.connpool.CallbackException;
import io.connpool.Pool;
import io.connpool.reliability.Ledger.Watched;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;
import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Faults Redis cannot produce, from the in-process echo server: resets (RST), refusals, a mute peer. */
class TcpFaultTest extends EchoServerFaultTestSupport {

    private static final int SIZE = 8;

    @Override
    protected int maxSize() {
        return SIZE;
    }

    private Pool<Watched<TcpConnection>> pool(Duration readTimeout) {
        return track(Pool.builder(ledger.watch(TcpConnectionFactory.to("127.0.0.1", server.port())
                        .connectTimeout(Duration.ofMillis(500)).readTimeout(readTimeout).build()))
                .name("echo").maxSize(SIZE).minIdle(2).acquireTimeout(Duration.ofSeconds(1))
                .connectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build());
    }

    private static String echo(TcpConnection connection, String text) throws Exception {
        return EchoServer.roundTrip(connection.in(), connection.out(), text);
    }

    @Test
    void resetsAtRandomUnderLoadFailOnlyTheCallsOnResetConnections() throws Exception {
        Pool<Watched<TcpConnection>> pool = pool(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            String text = "worker-" + t;
            workers.add(started(() -> {
                while (System.nanoTime() < deadline) {
                    ledger.operate(pool, c -> {
                        if (!text.equals(echo(c, text))) {
                            throw new IllegalStateException("crossed replies on " + c);
                        }
                        return null;
                    });
                }
            }));
        }
        Random random = new Random(7);
        int resets = 0;
        while (System.nanoTime() < deadline - TimeUnit.MILLISECONDS.toNanos(200)) {
            Thread.sleep(20 + random.nextInt(60));
            server.kill();
            resets++;
        }
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        assertThat(ledger.succeeded()).isPositive();
        assertThat(ledger.failed()).isPositive();
        // a call on a reset connection fails; one that needed a new connection while a reset hit the dial
        // may be told the dial failed: both are PoolExceptions that say so (the ledger checks the message)
        assertThat(ledger.failuresByType().keySet()).as(ledger.failureExamples().toString())
                .contains("CallbackException").isSubsetOf("CallbackException", "ConnectionFailedException");
        figure("echo server resets every connection (RST) %d times in 3 s under 16 threads: %s", resets, ledger);
    }

    @Test
    void serverThatClosesEveryNewConnectionOpensTheCircuitAndRecoversWhenItStops() throws Exception {
        Pool<Watched<TcpConnection>> pool = pool(Duration.ofSeconds(2));
        await().until(() -> pool.stats().idle() == 2 && server.openConnections() == 2);
        server.refuseNewConnections(true);
        server.kill();
        long failures = 0;
        for (int i = 0; i < 20; i++) {
            if (!ledger.operate(pool, c -> echo(c, "x"))) {
                failures++;
            }
        }
        assertThat(failures).isPositive();
        server.refuseNewConnections(false);
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.operate(pool, c -> echo(c, "back")));
        figure("echo server closing every new connection: %d of 20 calls failed; first success %d ms after it stopped",
                failures, millisSince(start));
    }

    @Test
    void mutePeerIsCaughtByTheReadTimeout() {
        Pool<Watched<TcpConnection>> pool = pool(Duration.ofMillis(200));
        assertThat(ledger.operate(pool, c -> echo(c, "warm"))).isTrue();
        server.mute(true);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.withConnection(watched -> ledger.hold(watched, c -> echo(c, "anyone?"))))
                .isInstanceOf(CallbackException.class).hasRootCauseInstanceOf(SocketTimeoutException.class);
        long failedAfter = millisSince(start);
        assertThat(failedAfter).isBetween(150L, 2000L);
        assertThat(pool.stats().destroyed()).as("the timed-out connection is closed, not returned").isPositive();
        server.mute(false);
        assertThat(ledger.operate(pool, c -> echo(c, "after"))).isTrue();
        figure("echo server mute (half-open): call failed after %d ms (read timeout 200 ms), connection closed", failedAfter);
    }
}
