package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedPool;
import io.connpool.Pool;
import io.connpool.PoolException;
import io.connpool.PoolTemplate;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint;
import io.connpool.autoconfigure.endpoint.PoolsEndpointAutoConfiguration;
import io.connpool.autoconfigure.health.PoolsHealthContributorAutoConfiguration;
import io.connpool.autoconfigure.metrics.PoolMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A secret in the configuration (user info in an address, a tag named like a secret) or in a factory's
 * error message shows on no surface: the endpoint, health, the caller's exception, the logs, the
 * failure report at start-up.
 */
@SuppressWarnings("unchecked")
@ExtendWith(OutputCaptureExtension.class)
class SecretsSurfacesTest extends EchoServerTestSupport {

    private static final String SECRET = "hunter2";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class,
                    PoolsHealthContributorAutoConfiguration.class, PoolMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("management.endpoints.web.exposure.include=pools,health");

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Everything the actuator shows of the pool: both endpoint reads and its health, as text. */
    private static String actuator(AssertableApplicationContext context, String pool) {
        PoolsEndpoint endpoint = context.getBean(PoolsEndpoint.class);
        CompositeHealthContributor health = (CompositeHealthContributor) context.getBean("poolsHealthContributor", HealthContributor.class);
        return endpoint.pools() + "\n" + endpoint.pool(pool) + "\n"
                + ((HealthIndicator) health.getContributor(pool)).health().getDetails();
    }

    @Test
    void aTcpPoolWithCredentialsInItsAddressDoesNotStartAndTheReportDoesNotEchoThem(CapturedOutput output) {
        runner.withPropertyValues("connpool.pools.cache.type=tcp", "connpool.pools.cache.address=admin:" + SECRET + "@127.0.0.1:" + server.port())
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'connpool.pools.cache.address'")
                            .contains("'******@127.0.0.1:" + server.port() + "'");
                    assertThat(analysis.getAction()).contains("the address of pool 'cache' contains user info (before '@'),"
                            + " which tcp pools do not use; remove it");
                    assertThat(analysis.getDescription() + analysis.getAction() + stackTrace(context.getStartupFailure()))
                            .doesNotContain(SECRET).doesNotContain("admin");
                });
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("connpool.pools.cache.type=tcp", "connpool.pools.cache.address=admin:" + SECRET + "@db:6379");
        assertThatThrownBy(app::run).isInstanceOf(PoolConfigurationException.class);
        assertThat(output).contains("APPLICATION FAILED TO START").contains("******@db:6379").doesNotContain(SECRET);
    }

    @Test
    void aKeyedTcpPoolRefusesAKeyWithCredentialsAndShowsThemNowhere(CapturedOutput output) {
        runner.withPropertyValues("connpool.pools.backends.type=tcp", "connpool.pools.backends.keyed=true").run(context -> {
            String key = "admin:" + SECRET + "@127.0.0.1:" + server.port();
            KeyedPool<String, Object> pool = context.getBean("backends", KeyedPool.class);
            PoolException failure = catchThrowableOfType(PoolException.class, () -> pool.withConnection(key, c -> c));
            assertThat(failure.getMessage()).contains("******@127.0.0.1");
            assertThat(stackTrace(failure)).doesNotContain(SECRET);
            assertThat(pool.stats(key).lastError()).contains("without credentials").doesNotContain(SECRET);
            assertThat(actuator(context, "backends")).doesNotContain(SECRET);
        });
        assertThat(output).doesNotContain(SECRET);
    }

    @Test
    void aFactorysErrorWithCredentialsShowsNowhere(CapturedOutput output) {
        runner.withPropertyValues("connpool.pools.cache.factory=leaking", "connpool.pools.cache.min-idle=1").run(context -> {
            Pool<Object> pool = context.getBean("cache", Pool.class);
            await().until(() -> pool.stats().createFailures() > 0);
            PoolException failure = catchThrowableOfType(PoolException.class,
                    () -> context.getBean(PoolTemplate.class).withConnection("cache", c -> c));
            assertThat(failure.getMessage()).contains("redis://******@cache:6379");
            assertThat(stackTrace(failure)).doesNotContain(SECRET);
            assertThat(actuator(context, "cache")).contains("redis://******@cache:6379").doesNotContain(SECRET);
        });
        assertThat(output).as("the WARN logs of the failed dials").contains("redis://******@cache:6379").doesNotContain(SECRET);
    }

    @Test
    void tagsNamedLikeSecretsAreMaskedInTheSettingsAndOnEveryConnection() {
        runner.withPropertyValues("connpool.pools.cache.factory=working", "connpool.pools.cache.min-idle=1",
                "connpool.pools.cache.tags.db-password=" + SECRET, "connpool.pools.cache.tags.X-Auth-Token=" + SECRET,
                "connpool.pools.cache.tags.apiKey=" + SECRET, "connpool.pools.cache.tags.client_secret=" + SECRET,
                "connpool.pools.cache.tags[db.pwd]=" + SECRET, "connpool.pools.cache.tags.zone=eu").run(context -> {
                    Pool<Object> pool = context.getBean("cache", Pool.class);
                    await().until(() -> pool.stats().total() > 0);
                    PoolsEndpoint.PoolDescriptor body = context.getBean(PoolsEndpoint.class).pool("cache");
                    Map<String, String> settingsTags = (Map<String, String>) body.settings().get("tags");
                    Map<String, String> connectionTags = body.connections().get(0).tags();
                    for (Map<String, String> tags : List.of(settingsTags, connectionTags)) {
                        assertThat(tags).containsEntry("db-password", "******").containsEntry("X-Auth-Token", "******")
                                .containsEntry("apiKey", "******").containsEntry("client_secret", "******")
                                .containsEntry("db.pwd", "******").containsEntry("zone", "eu");
                    }
                    assertThat(pool.connections().get(0).tag("apiKey")).as("the pool itself keeps the value, for filters").isEqualTo(SECRET);
                    assertThat(actuator(context, "cache")).doesNotContain(SECRET);
                });
    }

    @Test
    void theAddressOfAFactoryPoolIsShownWithoutItsUserInfo() {
        runner.withPropertyValues("connpool.pools.a.factory=working", "connpool.pools.a.address=admin:" + SECRET + "@db:6379",
                "connpool.pools.b.factory=working", "connpool.pools.b.address=" + SECRET + "@db:6379").run(context -> {
                    PoolsEndpoint endpoint = context.getBean(PoolsEndpoint.class);
                    for (String name : List.of("a", "b")) {
                        assertThat(endpoint.pool(name).settings()).containsEntry("address", "******@db:6379");
                        assertThat(actuator(context, name)).doesNotContain(SECRET);
                    }
                });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConnPoolAutoConfiguration.class)
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }

        @Bean
        ConnectionFactory<Object> leaking() {
            return () -> {
                throw new IOException("cannot reach redis://admin:" + SECRET + "@cache:6379/0");
            };
        }
    }
}
