package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.ConnectionFailedException;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.tcp.TcpConnection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The properties of builder settings that had none reach the pool that is built. */
@SuppressWarnings("unchecked")
class BuilderSettingPropertiesTest extends EchoServerTestSupport {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class));

    @Test
    void maxConnectingLetsThatManyDialsRunAtOnce() {
        // the default is 2: a third dial starting proves the property reached the pool
        runner.withUserConfiguration(HeldDials.class)
                .withPropertyValues("connpool.pools.p.factory=heldDials", "connpool.pools.p.max-size=3",
                        "connpool.pools.p.max-connecting=3")
                .run(context -> {
                    HeldDials dials = context.getBean(HeldDials.class);
                    Pool<Object> pool = context.getBean("p", Pool.class);
                    ExecutorService callers = Executors.newFixedThreadPool(3);
                    try {
                        List<Future<Lease<Object>>> leases = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            leases.add(callers.submit(() -> pool.acquire(Duration.ofMinutes(1))));
                        }
                        assertThat(dials.threeDialing.await(10, SECONDS)).as("three dials running at once").isTrue();
                        dials.release.countDown();
                        for (Future<Lease<Object>> lease : leases) {
                            lease.get(10, SECONDS).close();
                        }
                    } finally {
                        dials.release.countDown();
                        callers.shutdownNow();
                    }
                });
    }

    @Test
    void connectBackoffInitialIsTheWaitAfterAFailedDial() {
        runner.withUserConfiguration(RefusingDials.class)
                .withPropertyValues("connpool.pools.p.factory=refusingDials", "connpool.pools.p.connect-backoff-initial=1h",
                        "connpool.pools.p.connect-backoff-max=2h", "connpool.pools.p.acquire-timeout=10s")
                .run(context -> {
                    Pool<Object> pool = context.getBean("p", Pool.class);
                    catchThrowableOfType(ConnectionFailedException.class, pool::acquire);
                    ConnectionFailedException failingFast = catchThrowableOfType(ConnectionFailedException.class, pool::acquire);
                    // jittered between half and all of the initial wait: at least 30 minutes of the hour
                    assertThat(failingFast.retryAfter()).hasValueSatisfying(
                            retryAfter -> assertThat(retryAfter).isGreaterThan(Duration.ofMinutes(20)));
                });
    }

    @Test
    void connectBackoffMaxCapsTheWaitHoweverManyDialsFailed() {
        // doubling from 1 ms, the default cap of 10 s would take minutes over 20 failures; a cap of 2 ms takes moments
        runner.withUserConfiguration(RefusingDials.class)
                .withPropertyValues("connpool.pools.p.factory=refusingDials", "connpool.pools.p.min-idle=1",
                        "connpool.pools.p.connect-backoff-initial=1ms", "connpool.pools.p.connect-backoff-max=2ms")
                .run(context -> {
                    RefusingDials dials = context.getBean(RefusingDials.class);
                    await().atMost(10, SECONDS).until(() -> dials.attempts.get() >= 20);
                });
    }

    @Test
    void tcpNoDelayAndTcpKeepAliveReachTheSocket() {
        runner.withPropertyValues("connpool.pools.echo.type=tcp", "connpool.pools.echo.address=127.0.0.1:" + server.port(),
                        "connpool.pools.echo.tcp-no-delay=false", "connpool.pools.echo.tcp-keep-alive=false")
                .run(context -> {
                    Pool<TcpConnection> pool = context.getBean("echo", Pool.class);
                    try (Lease<TcpConnection> lease = pool.acquire()) {
                        assertThat(lease.connection().socket().getTcpNoDelay()).isFalse();
                        assertThat(lease.connection().socket().getKeepAlive()).isFalse();
                    }
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class HeldDials {
        final CountDownLatch threeDialing = new CountDownLatch(3);
        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        ConnectionFactory<Object> heldDials() {
            return () -> {
                threeDialing.countDown();
                if (!release.await(1, TimeUnit.MINUTES)) {
                    throw new IOException("test over");
                }
                return new Object();
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RefusingDials {
        final AtomicInteger attempts = new AtomicInteger();

        @Bean
        ConnectionFactory<Object> refusingDials() {
            return () -> {
                attempts.incrementAndGet();
                throw new IOException("Connection refused (by the test)");
            };
        }
    }
}
