package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolTemplate;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint;
import io.connpool.autoconfigure.endpoint.PoolsEndpointAutoConfiguration;
import io.connpool.autoconfigure.health.PoolsHealthContributorAutoConfiguration;
import io.connpool.autoconfigure.metrics.PoolMetrics;
import io.connpool.autoconfigure.metrics.PoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ObservabilityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class,
                    PoolsHealthContributorAutoConfiguration.class, PoolMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("connpool.pools.up.factory=working", "connpool.pools.up.max-size=2",
                    "connpool.pools.down.factory=failing", "connpool.pools.down.min-idle=1",
                    "management.endpoints.web.exposure.include=pools,health");

    private static HealthIndicator child(org.springframework.context.ApplicationContext context, String pool) {
        CompositeHealthContributor pools = (CompositeHealthContributor) context.getBean("poolsHealthContributor", HealthContributor.class);
        return (HealthIndicator) pools.getContributor(pool);
    }

    @Test
    void healthTellsSaturationFromOutage() {
        runner.run(context -> {
            Pool<Object> up = context.getBean("up", Pool.class);
            List<Lease<Object>> all = new ArrayList<>(List.of(up.acquire(), up.acquire())); // saturated
            assertThat(child(context, "up").health().getStatus()).isEqualTo(Status.UP);
            assertThat(child(context, "up").health().getDetails()).containsEntry("utilization", 1.0);
            org.awaitility.Awaitility.await().until(() -> context.getBean("down", Pool.class).stats().createFailures() > 0);
            assertThat(child(context, "down").health().getStatus()).isEqualTo(Status.DOWN);
            // OPEN while it waits to dial again, HALF_OPEN while that dial runs: a loaded machine may see either
            assertThat(child(context, "down").health().getDetails())
                    .hasEntrySatisfying("circuit", circuit -> assertThat(circuit).isIn("OPEN", "HALF_OPEN"))
                    .hasEntrySatisfying("lastError", e -> assertThat(String.valueOf(e)).contains("backend is down"));
            up.pause();
            assertThat(child(context, "up").health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            up.resume();
            all.forEach(Lease::close);
        });
    }

    @Test
    void optInReadinessWaitsUntilThePoolIsWarm() {
        Factories.gate = new java.util.concurrent.CountDownLatch(1);
        runner.withPropertyValues("connpool.warm-before-ready=true", "connpool.pools.slow.factory=gated",
                "connpool.pools.slow.min-idle=2").run(context -> {
                    assertThat(child(context, "slow").health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(child(context, "slow").health().getDetails()).containsEntry("warming", "0 of 2 (min-idle)");
                    Factories.gate.countDown();
                    org.awaitility.Awaitility.await().until(() -> child(context, "slow").health().getStatus().equals(Status.UP));
                });
    }

    @Test
    void withoutTheOptInAWarmingPoolIsUp() {
        runner.run(context -> assertThat(child(context, "up").health().getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void healthCanBeTurnedOff() {
        runner.withPropertyValues("management.health.pools.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("poolsHealthContributor"));
    }

    @Test
    void metersOfTheContractAreRegisteredAndFed() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(PoolTemplate.class).withConnection("up", c -> c);
            assertThat(meters.get("connpool.connections").tag("pool", "up").tag("state", "idle").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("connpool.connections").tag("pool", "up").tag("state", "active").gauge().value()).isZero();
            assertThat(meters.get("connpool.connections").tag("pool", "up").tag("state", "pending").gauge()).isNotNull();
            assertThat(meters.get("connpool.connections.max").tag("pool", "up").gauge().value()).isEqualTo(2.0);
            assertThat(meters.get("connpool.connections.min").tag("pool", "up").gauge().value()).isZero();
            assertThat(meters.get("connpool.acquire").tag("pool", "up").timer().count()).isEqualTo(1);
            assertThat(meters.get("connpool.usage").tag("pool", "up").timer().count()).isEqualTo(1);
            assertThat(meters.get("connpool.connections.creation").tag("pool", "up").timer().count()).isEqualTo(1);
            assertThat(meters.get("connpool.calls").tag("pool", "up").tag("outcome", "success").counter().count()).isEqualTo(1);
            assertThat(meters.get("connpool.connections.timeout").tag("pool", "up").counter().count()).isZero();
        });
    }

    @Test
    void everyMeterHasADescription() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBean(PoolTemplate.class).withConnection("up", c -> c);
            // connpool.acquire.percentile is Micrometer's own gauge for the published percentiles, not ours to describe
            assertThat(meters.getMeters()).filteredOn(m -> m.getId().getName().startsWith("connpool."))
                    .filteredOn(m -> !m.getId().getName().endsWith(".percentile"))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank());
        });
    }

    @Test
    void endpointMasksSecretsAndReportsEveryPool() {
        runner.withPropertyValues("connpool.pools.secret.factory=working", "connpool.pools.secret.address=user:hunter2@db:5432",
                "connpool.pools.secret.tags.api-token=abc", "connpool.pools.secret.tags.zone=eu").run(context -> {
                    PoolsEndpoint endpoint = context.getBean(PoolsEndpoint.class);
                    Map<String, PoolsEndpoint.PoolSummary> pools = endpoint.pools().pools();
                    assertThat(pools).containsKeys("up", "down", "secret");
                    assertThat(pools.get("up").mode()).isEqualTo("exclusive");
                    assertThat(pools.get("up").healthy()).isTrue();
                    Map<String, Object> settings = endpoint.pool("secret").settings();
                    assertThat(settings).containsEntry("address", "******@db:5432");
                    assertThat((Map<String, String>) settings.get("tags")).containsEntry("api-token", "******").containsEntry("zone", "eu");
                    assertThat(endpoint.pool("nope")).isNull();
                });
    }

    @Test
    void worksWithoutMicrometerOrActuatorOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, Endpoint.class, HealthContributor.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("up").hasSingleBean(PoolTemplate.class)
                            .doesNotHaveBean(PoolMetrics.class).doesNotHaveBean(PoolsEndpoint.class)
                            .doesNotHaveBean("poolsHealthContributor");
                    assertThat(context.getBean(PoolTemplate.class).<Object, Object>withConnection("up", c -> c)).isNotNull();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        static volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

        @Bean
        ConnectionFactory<Object> gated() {
            return () -> {
                gate.await();
                return new Object();
            };
        }
        @Bean
        ConnectionFactory<Object> working() {
            return Object::new;
        }

        @Bean
        ConnectionFactory<Object> failing() {
            return () -> {
                throw new java.net.ConnectException("backend is down");
            };
        }
    }
}
