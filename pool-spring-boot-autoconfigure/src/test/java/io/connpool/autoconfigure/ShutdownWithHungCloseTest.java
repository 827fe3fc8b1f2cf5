package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection whose close never returns does not hold the application's shutdown past shutdown-timeout. */
class ShutdownWithHungCloseTest {

    static final CountDownLatch HANG = new CountDownLatch(1);
    static final CountDownLatch CLOSE_STARTED = new CountDownLatch(1);

    @Configuration(proxyBeanMethods = false)
    static class HangingFactory {
        @Bean
        ConnectionFactory<Object> hangingFactory() {
            return new ConnectionFactory<>() {
                @Override
                public Object connect() {
                    return new Object();
                }

                @Override
                public void close(Object connection) throws InterruptedException {
                    CLOSE_STARTED.countDown();
                    HANG.await();
                }
            };
        }
    }

    @AfterEach
    void letTheCloseGo() {
        HANG.countDown();
    }

    @Test
    void aCloseThatHangsDoesNotHoldShutdownPastTheShutdownTimeout() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class))
                .withUserConfiguration(HangingFactory.class)
                .withPropertyValues("connpool.pools.p.factory=hangingFactory", "connpool.pools.p.min-idle=1",
                        "connpool.shutdown-timeout=300ms")
                .run(context -> {
                    Pool<?> pool = context.getBean("p", Pool.class);
                    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().idle() == 1);

                    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);

                    shutdown.get(10, TimeUnit.SECONDS);
                    assertThat(CLOSE_STARTED.getCount()).as("the pool's close reached the connection").isZero();
                    assertThat(HANG.getCount()).as("the connection's close still hangs").isEqualTo(1);
                    assertThat(pool.isClosed()).isTrue();
                });
    }
}
