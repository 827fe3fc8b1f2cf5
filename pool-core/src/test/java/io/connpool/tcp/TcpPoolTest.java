package io.connpool.tcp;

import io.connpool.ConnectionFailedException;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolException;
import io.connpool.PoolInvariants;
import io.connpool.testkit.EchoServer;
import io.connpool.testkit.OsResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The pool over real sockets, against an in-process echo server the test starts, kills and restarts. */
class TcpPoolTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private EchoServer server;
    private Pool<TcpConnection> pool;

    @BeforeEach
    void startServer() {
        server = EchoServer.onFreePort();
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close(Duration.ofSeconds(1));
        }
        server.close();
    }

    private Pool<TcpConnection> pool(int minIdle, int maxSize) {
        TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1", server.port())
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).build();
        pool = invariants.track(Pool.builder(factory).name("echo").minIdle(minIdle).maxSize(maxSize)
                .validateAfterInactivity(Duration.ZERO)
                .connectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .acquireTimeout(Duration.ofSeconds(5)).build());
        return pool;
    }

    static String echo(TcpConnection connection, String text) throws IOException {
        return EchoServer.roundTrip(connection.in(), connection.out(), text);
    }

    @Test
    void roundTripsOverPooledSockets() {
        pool(0, 4);
        for (int i = 0; i < 20; i++) {
            int n = i;
            assertThat(pool.<String>withConnection(c -> echo(c, "hello " + n))).isEqualTo("hello " + n);
        }
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void serverKilledWithAllConnectionsIdle_deadOnesAreReplacedTransparently() {
        pool(2, 4);
        await().until(() -> pool.stats().idle() == 2 && server.openConnections() == 2);
        server.kill();
        await().until(() -> server.openConnections() == 0);
        // validation on borrow finds the killed sockets dead; the caller never sees them
        assertThat(pool.<String>withConnection(c -> echo(c, "after kill"))).isEqualTo("after kill");
        assertThat(pool.stats().destroyed()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void serverKilledUnderLeases_leasesFailAndNoSocketLeaks() throws Exception {
        int baseline = warmBaseline();
        pool(0, 4);
        List<Lease<TcpConnection>> leases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease<TcpConnection> lease = pool.acquire();
            assertThat(echo(lease.connection(), "x" + i)).isEqualTo("x" + i);
            leases.add(lease);
        }
        server.kill();
        AtomicInteger failed = new AtomicInteger();
        for (Lease<TcpConnection> lease : leases) {
            try {
                echo(lease.connection(), "dead?");
                lease.close();
            } catch (IOException e) {
                failed.incrementAndGet();
                lease.invalidate();
            }
        }
        assertThat(failed).hasValue(4);
        assertThat(pool.stats().total()).isZero();
        pool.close();
        pool = null;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(OsResources.openFileDescriptors()).isLessThanOrEqualTo(baseline));
    }

    @Test
    void serverDownThenBack_poolReturnsToMinIdleWithoutACaller() {
        pool(3, 5);
        await().until(() -> pool.stats().idle() == 3 && server.openConnections() == 3);
        server.stop();
        await().until(() -> server.openConnections() == 0);
        // a caller meets the outage: the dead idle sockets are replaced by failing dials
        assertThatThrownBy(() -> pool.withConnection(c -> echo(c, "down")))
                .isInstanceOf(PoolException.class);
        assertThat(pool.stats().createFailures()).isPositive();
        long down = System.nanoTime();
        server.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 3 && server.openConnections() == 3);
        long recoveredMillis = (System.nanoTime() - down) / 1_000_000;
        assertThat(recoveredMillis).as("back to min-idle within the maximum back-off and a dial").isLessThan(5_000);
        assertThat(pool.<String>withConnection(c -> echo(c, "back"))).isEqualTo("back");
    }

    @Test
    void refusedDialGivesConnectionFailedWithTheSocketError() {
        pool(0, 2);
        server.stop();
        assertThatThrownBy(() -> pool.withConnection(c -> echo(c, "x")))
                .isInstanceOf(ConnectionFailedException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    /** Opens and closes a pool once, so that jars and JDK classes loaded lazily hold their descriptors already. */
    private int warmBaseline() {
        pool(1, 1);
        assertThat(pool.<String>withConnection(c -> echo(c, "warm-up"))).isEqualTo("warm-up");
        pool.close();
        pool = null;
        return OsResources.openFileDescriptors();
    }

    @Test
    void closeReturnsFileDescriptorsToTheBaseline() {
        int baseline = warmBaseline();
        pool(4, 4);
        await().until(() -> pool.stats().idle() == 4);
        assertThat(OsResources.openFileDescriptors()).isGreaterThanOrEqualTo(baseline + 4);
        pool.close();
        pool = null;
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(OsResources.openFileDescriptors()).isLessThanOrEqualTo(baseline));
    }

    @Test
    void halfOpenServerIsCaughtByTheReadTimeout() {
        pool(0, 2);
        assertThat(pool.<String>withConnection(c -> echo(c, "ok"))).isEqualTo("ok");
        server.mute(true);
        assertThatThrownBy(() -> pool.withConnection(c -> echo(c, "anyone?")))
                .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(pool.stats().total()).as("timed-out connection closed as broken").isZero();
    }
}
