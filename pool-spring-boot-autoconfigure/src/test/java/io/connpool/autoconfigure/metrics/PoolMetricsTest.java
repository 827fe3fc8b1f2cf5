package io.connpool.autoconfigure.metrics;

import io.connpool.ConnectionFactory;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolExhaustedException;
import io.connpool.PoolTemplate;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@SuppressWarnings("unchecked")
class PoolMetricsTest {

    private final ApplicationContextRunner prometheus = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("connpool.pools.orders.factory=working", "connpool.pools.orders.max-size=1",
                    "connpool.pools.orders.acquire-timeout=50ms");

    @Test
    void connectionsOpenedBeforeTheMetersAreBoundAreCounted() {
        PoolMetrics.Recorder recorder = new PoolMetrics.Recorder();
        recorder.onConnectionCreated(null, 3_000_000);
        recorder.onConnectionCreated(null, 5_000_000);
        recorder.onAcquireTimeout(1_000_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        recorder.bind(registry, "orders");

        Timer creation = registry.get("connpool.connections.creation").tag("pool", "orders").timer();
        assertThat(creation.count()).isEqualTo(2);
        assertThat(creation.max(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        assertThat(registry.get("connpool.connections.timeout").counter().count()).isEqualTo(1.0);
    }

    @Test
    void eventsAfterBindingAreRecordedOnce() {
        PoolMetrics.Recorder recorder = new PoolMetrics.Recorder();
        recorder.onConnectionCreated(null, 3_000_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        recorder.bind(registry, "orders");

        recorder.onConnectionCreated(null, 4_000_000);

        assertThat(registry.get("connpool.connections.creation").timer().count()).isEqualTo(2);
    }

    @Test
    void aPoolWarmedUpAtStartUpCountsItsConnections() {
        prometheus.withPropertyValues("connpool.pools.orders.min-idle=1").run(context -> {
            Pool<?> orders = context.getBean("orders", Pool.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> orders.stats().created() == 1);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("connpool.connections.creation").tag("pool", "orders").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void theAcquireTimerPublishesPercentilesOfTheWaits() {
        prometheus.run(context -> {
            Timer acquire = context.getBean(MeterRegistry.class).get("connpool.acquire").tag("pool", "orders").timer();
            assertThat(Arrays.stream(acquire.takeSnapshot().percentileValues()).map(p -> p.percentile()))
                    .containsExactly(0.5, 0.95, 0.99);
        });
    }

    @Test
    void thePrometheusScrapeShowsEveryMeterWithItsHelpText() {
        prometheus.run(context -> {
            PoolTemplate template = context.getBean(PoolTemplate.class);
            Pool<Object> orders = context.getBean("orders", Pool.class);
            template.withConnection("orders", c -> c);
            assertThatThrownBy(() -> template.withConnection("orders", c -> {
                throw new IllegalStateException("the callback failed");
            })).isInstanceOf(IllegalStateException.class);
            try (Lease<Object> held = orders.acquire()) {
                assertThatThrownBy(orders::acquire).isInstanceOf(PoolExhaustedException.class);
                CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> orders.acquire(Duration.ofSeconds(30)).close());
                await().atMost(10, TimeUnit.SECONDS).until(() -> orders.stats().pending() == 1 || waiter.isDone());
                held.close();
                waiter.join();
            } catch (Exception e) {
                throw new AssertionError(e);
            }

            String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();

            for (String family : List.of("connpool_connections", "connpool_connections_max", "connpool_connections_min",
                    "connpool_acquire_seconds", "connpool_usage_seconds", "connpool_connections_creation_seconds",
                    "connpool_connections_timeout_total", "connpool_calls_total")) {
                assertThat(scrape).as(family).containsPattern("(?m)^# HELP " + family + " \\S.*$");
                assertThat(scrape).as(family).containsPattern("(?m)^" + family + "(_count|_max|_sum)?\\{.*pool=\"orders\".*\\} \\S+$");
            }
            assertThat(scrape).containsPattern("(?m)^connpool_connections\\{pool=\"orders\",state=\"active\"\\} ")
                    .containsPattern("(?m)^connpool_connections\\{pool=\"orders\",state=\"idle\"\\} ")
                    .containsPattern("(?m)^connpool_connections\\{pool=\"orders\",state=\"pending\"\\} ")
                    .containsPattern("(?m)^connpool_calls_total\\{outcome=\"success\",pool=\"orders\"\\} 1")
                    .containsPattern("(?m)^connpool_calls_total\\{outcome=\"failure\",pool=\"orders\"\\} 1")
                    .containsPattern("(?m)^connpool_connections_timeout_total\\{pool=\"orders\"\\} 1")
                    .containsPattern("(?m)^connpool_acquire_seconds\\{pool=\"orders\",quantile=\"0.99\"\\} ")
                    .containsPattern("(?m)^connpool_connections_creation_seconds_count\\{pool=\"orders\"\\} 1");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return Object::new;
        }
    }
}
