package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedPool;
import io.connpool.Pool;
import io.connpool.PoolException;
import io.connpool.PoolRegistry;
import io.connpool.PoolStats;
import io.connpool.PoolTemplate;
import io.connpool.SharedPool;
import io.connpool.tcp.TcpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("unchecked")
class ConnPoolAutoConfigurationTest extends EchoServerTestSupport {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class));

    private String echoAddress() {
        return "connpool.pools.echo.address=127.0.0.1:" + server.port();
    }

    static String echo(TcpConnection c, String text) throws Exception {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        c.out().write(bytes);
        c.out().flush();
        return new String(c.in().readNBytes(bytes.length), StandardCharsets.UTF_8).trim();
    }

    @Test
    void tcpPoolIsABeanNamedAsItsEntry() {
        runner.withPropertyValues("connpool.pools.echo.type=tcp", echoAddress(), "connpool.pools.echo.max-size=3")
                .run(context -> {
                    assertThat(context).hasSingleBean(Pool.class).hasBean("echo");
                    Pool<TcpConnection> pool = context.getBean("echo", Pool.class);
                    assertThat(pool.stats().maxSize()).isEqualTo(3);
                    assertThat(pool.<String>withConnection(c -> echo(c, "hi"))).isEqualTo("hi");
                    PoolTemplate template = context.getBean(PoolTemplate.class);
                    assertThat(template.<TcpConnection, String>withConnection("echo", c -> echo(c, "via template"))).isEqualTo("via template");
                    assertThat(template.poolNames()).containsExactly("echo");
                });
    }

    @Test
    void defaultsApplyUnlessThePoolOverrides() {
        runner.withPropertyValues("connpool.defaults.max-size=7", "connpool.defaults.acquire-timeout=2s",
                        "connpool.pools.echo.type=tcp", echoAddress(),
                        "connpool.pools.other.type=tcp", "connpool.pools.other.address=127.0.0.1:" + server.port(),
                        "connpool.pools.other.max-size=2")
                .run(context -> {
                    assertThat(context.getBean("echo", Pool.class).stats().maxSize()).isEqualTo(7);
                    assertThat(context.getBean("other", Pool.class).stats().maxSize()).isEqualTo(2);
                    assertThat(context.getBean(PoolDefinitions.class).get("other").getAcquireTimeout()).isEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void modeSharedMakesASharedPoolAndKeyedAKeyedPool() {
        runner.withPropertyValues("connpool.pools.prices.type=tcp", "connpool.pools.prices.address=127.0.0.1:" + server.port(),
                        "connpool.pools.prices.mode=shared", "connpool.pools.prices.routing=round-robin",
                        "connpool.pools.backends.type=tcp", "connpool.pools.backends.keyed=true", "connpool.pools.backends.max-per-key=2")
                .run(context -> {
                    assertThat(context.getBean("prices")).isInstanceOf(SharedPool.class);
                    KeyedPool<String, TcpConnection> backends = context.getBean("backends", KeyedPool.class);
                    String address = "127.0.0.1:" + server.port();
                    assertThat(backends.<String>withConnection(address, c -> echo(c, "keyed"))).isEqualTo("keyed");
                    assertThat(context.getBean(PoolTemplate.class).<TcpConnection, String>withConnection("backends", address,
                            c -> echo(c, "keyed template"))).isEqualTo("keyed template");
                    assertThat(backends.stats(address).maxSize()).isEqualTo(2);
                });
    }

    @Test
    void factoryBeanOfTheUserOpensTheConnections() {
        runner.withUserConfiguration(UserFactory.class)
                .withPropertyValues("connpool.pools.custom.factory=customFactory", "connpool.pools.custom.min-idle=1")
                .run(context -> {
                    Pool<String> pool = context.getBean("custom", Pool.class);
                    assertThat(pool.<String>withConnection(c -> c)).isEqualTo("connection");
                });
    }

    @Test
    void qualifierInjectionByPoolName() {
        runner.withUserConfiguration(Injected.class)
                .withPropertyValues("connpool.pools.echo.type=tcp", echoAddress())
                .run(context -> assertThat(context.getBean(Injected.class).pool).isSameAs(context.getBean("echo")));
    }

    @Test
    void unknownPoolNameListsTheConfiguredOnes() {
        runner.withPropertyValues("connpool.pools.echo.type=tcp", echoAddress()).run(context ->
                assertThatThrownBy(() -> context.getBean(PoolTemplate.class).stats("nope"))
                        .isInstanceOf(PoolException.class).hasMessage("No pool named 'nope'; the pools are [echo]"));
    }

    @Test
    void disabledAltogetherOrPerPool() {
        runner.withPropertyValues("connpool.enabled=false", "connpool.pools.echo.type=tcp", echoAddress())
                .run(context -> assertThat(context).doesNotHaveBean(Pool.class).doesNotHaveBean(PoolTemplate.class));
        runner.withPropertyValues("connpool.pools.echo.type=tcp", echoAddress(), "connpool.pools.echo.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(Pool.class).hasSingleBean(PoolTemplate.class));
    }

    @Test
    void aUsersOwnRegistryAndTemplateWin() {
        runner.withUserConfiguration(OwnTemplate.class).withPropertyValues("connpool.pools.echo.type=tcp", echoAddress())
                .run(context -> {
                    assertThat(context.getBean(PoolTemplate.class)).isSameAs(context.getBean("myTemplate"));
                    assertThat(context.getBean(PoolRegistry.class)).isSameAs(context.getBean("myRegistry"));
                });
    }

    @Test
    void startsWhenTheServerIsDownAndReportsIt() {
        runner.withPropertyValues("connpool.pools.down.type=tcp", "connpool.pools.down.address=127.0.0.1:1",
                        "connpool.pools.down.min-idle=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Pool<?> pool = context.getBean("down", Pool.class);
                    org.awaitility.Awaitility.await().until(() -> pool.stats().createFailures() > 0);
                    PoolStats stats = pool.stats();
                    assertThat(stats.total()).isZero();
                    assertThat(stats.lastError()).contains("Connection refused");
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "connpool.pools.p.max-size|-1|connpool.pools.p.max-size|at least 1",
            "connpool.pools.p.max-size|0|connpool.pools.p.max-size|at least 1",
            "connpool.pools.p.min-idle|-3|connpool.pools.p.min-idle|at least 0",
            "connpool.pools.p.min-idle|50|connpool.pools.p.min-idle|at most max-size (10)",
            "connpool.pools.p.max-idle|-1|connpool.pools.p.max-idle|at least 0",
            "connpool.pools.p.max-pending|-1|connpool.pools.p.max-pending|at least 0",
            "connpool.pools.p.acquire-timeout|-1s|connpool.pools.p.acquire-timeout|a duration of zero or more",
            "connpool.pools.p.hand-off-after|-1ms|connpool.pools.p.hand-off-after|a duration of zero or more",
            "connpool.pools.p.idle-timeout|-1s|connpool.pools.p.idle-timeout|a duration of zero or more",
            "connpool.pools.p.max-lifetime|-5m|connpool.pools.p.max-lifetime|a duration of zero or more",
            "connpool.pools.p.keepalive-interval|-1s|connpool.pools.p.keepalive-interval|a duration of zero or more",
            "connpool.pools.p.validate-after-inactivity|-1s|connpool.pools.p.validate-after-inactivity|a duration of zero or more",
            "connpool.pools.p.validation-timeout|0s|connpool.pools.p.validation-timeout|a positive duration",
            "connpool.pools.p.leak-detection-threshold|-1s|connpool.pools.p.leak-detection-threshold|a duration of zero or more",
            "connpool.pools.p.max-calls-per-connection|0|connpool.pools.p.max-calls-per-connection|at least 1",
            "connpool.pools.p.max-per-key|0|connpool.pools.p.max-per-key|at least 1",
            "connpool.pools.p.max-connecting|0|connpool.pools.p.max-connecting|at least 1",
            "connpool.pools.p.connect-backoff-initial|0s|connpool.pools.p.connect-backoff-initial|a positive duration",
            "connpool.pools.p.connect-backoff-max|100ms|connpool.pools.p.connect-backoff-max|at least connect-backoff-initial (200ms)",
            "connpool.pools.p.type|udp|connpool.pools.p.type|tcp",
            "connpool.pools.p.address|nonsense|connpool.pools.p.address|host:port",
            "connpool.pools.p.address|host:99999|connpool.pools.p.address|a port from 1 to 65535",
            "connpool.pools.p.connect-timeout|-1s|connpool.pools.p.connect-timeout|a duration of zero or more",
    })
    void badValueStopsStartUpNamingTheProperty(String property, String value, String reported, String allowed) {
        String mode = property.endsWith("max-calls-per-connection") ? "shared" : "exclusive";
        String keyed = property.endsWith("max-per-key") ? "true" : "false";
        runner.withPropertyValues("connpool.pools.p.type=tcp", "connpool.pools.p.address=127.0.0.1:" + server.port(),
                        "connpool.pools.p.mode=" + mode, "connpool.pools.p.keyed=" + keyed, property + "=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("'" + reported + "'").contains("'" + value + "'");
                    assertThat(analysis.getAction()).contains(allowed);
                });
    }

    @Test
    void missingTypeOrAddressOrFactoryBeanStopsStartUp() {
        runner.withPropertyValues("connpool.pools.p.max-size=3").run(context -> assertThat(
                new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .contains("Set 'connpool.pools.p.type' to tcp, or else set connpool.pools.p.factory"));
        runner.withPropertyValues("connpool.pools.p.type=tcp").run(context -> assertThat(
                new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                .contains("'connpool.pools.p.address'"));
        runner.withPropertyValues("connpool.pools.p.factory=noSuchBean").run(context -> assertThat(
                new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .contains("the name of a ConnectionFactory bean (no bean has that name)"));
        runner.withPropertyValues("connpool.pools.p.type=tcp", "connpool.pools.p.address=x:1", "connpool.pools.p.mode=batch")
                .run(context -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    static class UserFactory {
        @Bean
        ConnectionFactory<String> customFactory() {
            return () -> "connection";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Injected {
        final Pool<TcpConnection> pool;

        Injected(@Qualifier("echo") Pool<TcpConnection> pool) {
            this.pool = pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTemplate {
        @Bean
        PoolRegistry myRegistry() {
            return new PoolRegistry(Map.of());
        }

        @Bean
        PoolTemplate myTemplate(PoolRegistry registry) {
            return new PoolTemplate(registry);
        }
    }
}
