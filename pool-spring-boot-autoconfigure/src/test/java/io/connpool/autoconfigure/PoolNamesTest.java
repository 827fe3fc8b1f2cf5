package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.Pool;
import io.connpool.PoolTemplate;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint;
import io.connpool.autoconfigure.endpoint.PoolsEndpointAutoConfiguration;
import io.connpool.autoconfigure.health.PoolsHealthContributorAutoConfiguration;
import io.connpool.autoconfigure.metrics.PoolMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Any map key Boot binds under connpool.pools is a pool: a bean of that name, in the template, the endpoint, health and metrics. */
@SuppressWarnings("unchecked")
class PoolNamesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class,
                    PoolsHealthContributorAutoConfiguration.class, PoolMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("connpool.defaults.max-size=3", "management.endpoints.web.exposure.include=pools,health");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ordersDb|connpool.pools.ordersDb",
            "orders_db|connpool.pools.orders_db",
            "orders-db|connpool.pools.orders-db",
            "Orders|connpool.pools.Orders",
            "db2|connpool.pools.db2",
            "2fa|connpool.pools.2fa",
            "orders.db|connpool.pools[orders.db]",
            "Orders.DB|connpool.pools[Orders.DB]",
    })
    void anyMapKeyBootBindsIsAPoolName(String name, String prefix) {
        runner.withPropertyValues(prefix + ".factory=working", prefix + ".min-idle=1").run(context -> {
            assertThat(context).hasNotFailed().hasBean(name);
            Pool<Object> pool = context.getBean(name, Pool.class);
            assertThat(pool.stats().maxSize()).as("the defaults apply to it").isEqualTo(3);
            assertThat(pool.stats().minIdle()).as("its own settings apply to it").isEqualTo(1);
            assertThat(context.getBean(PoolTemplate.class).<Object, Object>withConnection(name, c -> c)).isEqualTo("connection");

            PoolsEndpoint endpoint = context.getBean(PoolsEndpoint.class);
            assertThat(endpoint.pools().pools()).containsOnlyKeys(name);
            assertThat(endpoint.pool(name).name()).isEqualTo(name);
            assertThat(endpoint.pool(name).settings()).containsEntry("factory", "working");

            CompositeHealthContributor health = (CompositeHealthContributor) context.getBean("poolsHealthContributor", HealthContributor.class);
            assertThat(((HealthIndicator) health.getContributor(name)).health().getStatus()).isEqualTo(Status.UP);

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("connpool.connections.max").tag("pool", name).gauge().value()).isEqualTo(3.0);
            assertThat(meters.get("connpool.calls").tag("pool", name).tag("outcome", "success").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void aPoolConfiguredFromEnvironmentVariablesIsNamedAsBootBindsIt() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment",
                                Map.of("CONNPOOL_POOLS_ORDERS_FACTORY", "working", "CONNPOOL_POOLS_ORDERS_MAXSIZE", "5"))))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("orders");
                    assertThat(context.getBean("orders", Pool.class).stats().maxSize()).isEqualTo(5);
                });
    }

    @Test
    void aBadValueOfADottedPoolIsReportedAsTheUserWroteTheKey() {
        runner.withPropertyValues("connpool.pools[orders.db].factory=working", "connpool.pools[orders.db].min-idle=50")
                .run(context -> assertThat(new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                        .contains("'connpool.pools[orders.db].min-idle'"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }
    }
}
