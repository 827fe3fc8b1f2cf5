package io.connpool.autoconfigure;

import io.connpool.ConnectionCallback;
import io.connpool.KeyedPool;
import io.connpool.Lease;
import io.connpool.ManagedPool;
import io.connpool.Pool;
import io.connpool.PoolRegistry;
import io.connpool.SharedPool;
import io.connpool.tcp.TcpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Properties at the extremes: the largest int and a duration far past what nanoseconds in a long can
 * count are legal and mean "no practical limit"; only what is out of range stops start-up.
 */
@SuppressWarnings("unchecked")
class ExtremeValuesAutoConfigurationTest extends EchoServerTestSupport {

    /** The most days Boot binds into a Duration without overflow: ~292 million years, 10^27 ns. */
    private static final String HUGE = "106751991167d";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class));

    @ParameterizedTest
    @ValueSource(strings = {"exclusive", "shared", "keyed"})
    void hugeSizesAndDurationsStartServeAndStop(String kind) {
        String p = "connpool.pools.p.";
        runner.withPropertyValues("connpool.shutdown-timeout=" + HUGE,
                        p + "type=tcp", p + "address=127.0.0.1:" + server.port(),
                        p + "mode=" + (kind.equals("shared") ? "shared" : "exclusive"), p + "keyed=" + kind.equals("keyed"),
                        p + "max-size=2147483647", p + "max-per-key=2147483647", p + "max-calls-per-connection=2147483647",
                        p + "connect-timeout=" + HUGE, p + "read-timeout=" + HUGE, p + "acquire-timeout=" + HUGE,
                        p + "hand-off-after=" + HUGE, p + "idle-timeout=" + HUGE, p + "max-lifetime=" + HUGE,
                        p + "keepalive-interval=" + HUGE, p + "leak-detection-threshold=" + HUGE)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ManagedPool pool = context.getBean("p", ManagedPool.class);
                    String address = "127.0.0.1:" + server.port();
                    ConnectionCallback<TcpConnection, String> hi = c -> ConnPoolAutoConfigurationTest.echo(c, "hi");
                    String reply = switch (kind) {
                        case "shared" -> ((SharedPool<TcpConnection>) pool).withConnection(hi);
                        case "keyed" -> ((KeyedPool<String, TcpConnection>) pool).withConnection(address, hi);
                        default -> ((Pool<TcpConnection>) pool).withConnection(hi);
                    };
                    assertThat(reply).isEqualTo("hi");

                    context.getBean(PoolsLifecycle.class).stop();

                    assertThat(pool.isClosed()).isTrue();
                });
    }

    @Test
    void shutdownWithAHugeTimeoutWaitsForTheConnectionInUseThenClosesThePool() throws Exception {
        Pool<StringBuilder> pool = Pool.builder(StringBuilder::new).name("p").build();
        PoolsLifecycle lifecycle = new PoolsLifecycle(new PoolRegistry(Map.of("p", pool)), ChronoUnit.FOREVER.getDuration());
        lifecycle.start();
        Lease<StringBuilder> held = pool.acquire();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(lifecycle::stop);
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.isClosed() || stopping.isDone());
        assertThat(stopping).as("shutdown waits for the connection in use").isNotDone();

        held.close();

        stopping.get(10, TimeUnit.SECONDS);
        assertThat(lifecycle.isRunning()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().total() == 0);
    }

    @Test
    void aNegativeShutdownTimeoutStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("connpool.shutdown-timeout=-1s").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("'connpool.shutdown-timeout'").contains("'-1s'");
            assertThat(analysis.getAction()).contains("a duration of zero or more");
        });
    }

    @Test
    void aHugeNegativeDurationIsReportedAsWritten() {
        runner.withPropertyValues("connpool.pools.p.type=tcp", "connpool.pools.p.address=127.0.0.1:" + server.port(),
                        "connpool.pools.p.acquire-timeout=-" + HUGE)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("'connpool.pools.p.acquire-timeout'")
                            .contains("'-" + HUGE + "'");
                });
    }

    @Test
    void aDurationIsReportedInTheLargestUnitThatHoldsItElseInIso8601() {
        assertThat(PoolCreator.asWritten(Duration.ofSeconds(-Long.MAX_VALUE, 1)))
                .isEqualTo("PT-2562047788015215H-30M-6.999999999S");
        assertThat(PoolCreator.asWritten(Duration.ofMillis(-1500))).isEqualTo("-1500ms");
        assertThat(PoolCreator.asWritten(Duration.ofNanos(-7))).isEqualTo("-7ns");
    }
}
