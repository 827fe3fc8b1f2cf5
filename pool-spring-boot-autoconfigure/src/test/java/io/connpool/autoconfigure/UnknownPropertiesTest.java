package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key under connpool that nothing binds stops start-up, with the key, its pool and the nearest valid property. */
class UnknownPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("connpool.pools.orders.factory=working");

    private static FailureAnalysis analysis(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("a failure report of connpool's").isNotNull();
        return analysis;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "connpool.pools.orders.max-sizee=20|Unknown property 'connpool.pools.orders.max-sizee' (pool 'orders'); did you mean 'max-size'?",
            "connpool.pools.orders.acquire-timout=2s|Unknown property 'connpool.pools.orders.acquire-timout' (pool 'orders'); did you mean 'acquire-timeout'?",
            "connpool.pools.orders.maxIdel=2|Unknown property 'connpool.pools.orders.maxIdel' (pool 'orders'); did you mean 'max-idle'?",
            "connpool.defaults.acquire-timout=2s|Unknown property 'connpool.defaults.acquire-timout' (the defaults of every pool); did you mean 'acquire-timeout'?",
            "connpool.shutdown-timout=5s|Unknown property 'connpool.shutdown-timout'; did you mean 'shutdown-timeout'?",
            "connpool.enabeld=true|Unknown property 'connpool.enabeld'; did you mean 'enabled'?",
            "connpool.pool.orders.max-size=3|Unknown property 'connpool.pool.orders.max-size'; did you mean 'pools'?",
            "connpool.default.max-size=3|Unknown property 'connpool.default.max-size'; did you mean 'defaults'?",
            "connpool.pools.orders.max-size.value=3|Unknown property 'connpool.pools.orders.max-size.value' (pool 'orders'); 'max-size' takes a value, not keys of its own: set 'connpool.pools.orders.max-size' itself",
            "connpool.pools.orders.flavour=x|Unknown property 'connpool.pools.orders.flavour' (pool 'orders'); the keys known there are type, factory, address,",
    })
    void anUnknownKeyStopsStartUpNamingItItsPoolAndTheNearestProperty(String property, String reported) {
        runner.withPropertyValues(property).run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains(reported).contains("[set in ");
            assertThat(analysis.getAction()).contains("Correct or remove it");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"connpool.pools.orders.maxSize", "connpool.pools.orders.max_size", "connpool.pools.orders.MAX_SIZE",
            "connpool.pools.orders.MAXSIZE", "connpool.pools.orders.max-size"})
    void everySpellingBootAcceptsIsAccepted(String property) {
        runner.withPropertyValues(property + "=4").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("orders", Pool.class).stats().maxSize()).isEqualTo(4);
        });
    }

    @Test
    void anEnvironmentVariableBootBindsIsAcceptedAndOneItDoesNotIsReportedWithTheSpellingThatWorks() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                        "test-systemEnvironment", Map.of("CONNPOOL_POOLS_ORDERS_MAXSIZE", "4", "CONNPOOL_SHUTDOWNTIMEOUT", "5s"))))
                .run(context -> assertThat(context.getBean("orders", Pool.class).stats().maxSize()).isEqualTo(4));
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                        "test-systemEnvironment", Map.of("CONNPOOL_POOLS_ORDERS_MAX_SIZE", "4"))))
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Unknown property 'connpool.pools.orders.max.size' (pool 'orders'); did you mean 'max-size'?"
                                + " (as an environment variable: CONNPOOL_POOLS_ORDERS_MAXSIZE)")
                        .contains("CONNPOOL_POOLS_ORDERS_MAX_SIZE"));
    }

    @Test
    void tagsTakeAnyKey() {
        runner.withPropertyValues("connpool.pools.orders.tags.anything-goes=1", "connpool.pools.orders.tags.Zone_Name=eu",
                        "connpool.pools.orders.tags[db.role]=primary", "connpool.defaults.tags.team=payments")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PoolDefinitions.class).get("orders").getTags())
                            .containsKeys("anything-goes", "db.role", "team");
                });
    }

    @Test
    void aDottedPoolNameWrittenWithoutBracketsIsReportedWithTheBracketedSpelling() {
        runner.withPropertyValues("connpool.pools.orders.db.max-size=3").run(context -> assertThat(analysis(context).getDescription())
                .contains("Unknown property 'connpool.pools.orders.db.max-size' (pool 'orders'); a pool name with a dot in it goes in"
                        + " brackets: did you mean 'connpool.pools[orders.db].max-size'?"));
    }

    @Test
    void everyUnknownKeyIsReportedAtOnce() {
        runner.withPropertyValues("connpool.pools.orders.max-sizee=20", "connpool.pools.orders.min-idel=1", "connpool.shutdown-timout=1s")
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription()).contains("these 3 properties").contains("'max-size'")
                            .contains("'min-idle'").contains("'shutdown-timeout'");
                    assertThat(analysis.getAction()).contains("Correct or remove each of them");
                    assertThat(((UnknownPropertiesException) analysis.getCause()).properties())
                            .extracting(UnknownPropertiesException.UnknownProperty::suggestion)
                            .contains("connpool.pools.orders.max-size", "connpool.pools.orders.min-idle", "connpool.shutdown-timeout");
                });
    }

    @Test
    void theValueOfAnUnknownKeyIsNeverShown() {
        runner.withPropertyValues("connpool.pools.orders.pasword=hunter2", "connpool.defaults.secret-key=hunter2").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("'connpool.pools.orders.pasword'").doesNotContain("hunter2");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("pasword").hasStackTraceContaining("secret-key");
            assertThat(stackTrace(context.getStartupFailure())).doesNotContain("hunter2");
        });
    }

    @Test
    void aBadValueIsStillReportedByBootAsABadValue() {
        runner.withPropertyValues("connpool.pools.orders.max-size=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("connpool.pools.orders.max-size")
                    .hasStackTraceContaining("lots");
        });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theFailureReportAtStartUpNamesTheKeyThePoolAndTheNearestProperty(CapturedOutput output) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("connpool.pools.orders.factory=working", "connpool.pools.orders.max-sizee=20");
        assertThatThrownBy(app::run).isInstanceOf(UnknownPropertiesException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Unknown property 'connpool.pools.orders.max-sizee' (pool 'orders'); did you mean 'max-size'?");
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ConnPoolAutoConfiguration.class)
    static class App {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }
    }
}
