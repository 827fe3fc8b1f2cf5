package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedPoolHandle;
import io.connpool.Pool;
import io.connpool.PoolHandle;
import io.connpool.PoolRegistry;
import io.connpool.PoolTemplate;
import io.connpool.WrongConnectionTypeException;
import io.connpool.tcp.TcpConnection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.connpool.autoconfigure.ConnPoolAutoConfigurationTest.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed handles of PoolTemplate in an application: the starter tells the registry each pool's
 * connection type where it can know it, so a handle of the wrong type fails where it is looked up,
 * which for a bean is start-up.
 */
class TypedPoolTemplateTest extends EchoServerTestSupport {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class));

    private String[] tcpPools() {
        String address = "127.0.0.1:" + server.port();
        return new String[] {"connpool.pools.echo.type=tcp", "connpool.pools.echo.address=" + address,
                "connpool.pools.prices.type=tcp", "connpool.pools.prices.address=" + address, "connpool.pools.prices.mode=shared",
                "connpool.pools.backends.type=tcp", "connpool.pools.backends.keyed=true"};
    }

    @Test
    void typedHandlesWorkOnEveryKindOfTcpPool() {
        runner.withPropertyValues(tcpPools()).run(context -> {
            PoolTemplate template = context.getBean(PoolTemplate.class);
            PoolHandle<TcpConnection> echo = template.pool("echo", TcpConnection.class);
            PoolHandle<TcpConnection> prices = template.pool("prices", TcpConnection.class);
            KeyedPoolHandle<String, TcpConnection> backends = template.keyedPool("backends", String.class, TcpConnection.class);
            String exclusive = echo.withConnection(c -> echo(c, "exclusive"));
            String shared = prices.withConnection(c -> echo(c, "shared"));
            String keyed = backends.withConnection("127.0.0.1:" + server.port(), c -> echo(c, "keyed"));
            assertThat(exclusive + " " + shared + " " + keyed).isEqualTo("exclusive shared keyed");
        });
    }

    @Test
    void aTcpPoolsConnectionTypeIsKnownSoTheWrongTypeFailsAtLookup() {
        runner.withPropertyValues(tcpPools()).run(context -> {
            PoolTemplate template = context.getBean(PoolTemplate.class);
            assertThatThrownBy(() -> template.pool("echo", String.class))
                    .isInstanceOf(WrongConnectionTypeException.class)
                    .hasMessage("Pool 'echo' hands out connections of type io.connpool.tcp.TcpConnection, which cannot be"
                            + " java.lang.String as asked; ask for pool(\"echo\", TcpConnection.class) or a supertype of it");
            assertThatThrownBy(() -> template.keyedPool("backends", String.class, String.class))
                    .isInstanceOf(WrongConnectionTypeException.class).hasMessageStartingWith("Pool 'backends' hands out connections"
                            + " of type io.connpool.tcp.TcpConnection");
            assertThat(context.getBean("echo", Pool.class).stats().created()).isZero();
        });
    }

    @Test
    void aBeanThatLooksUpTheWrongTypeStopsStartUpWithAReportNamingPoolAndTypes() {
        runner.withUserConfiguration(WrongTypeAtStartUp.class).withPropertyValues(tcpPools()).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(WrongConnectionTypeException.class);
            FailureAnalysis analysis = new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).isEqualTo("A typed handle on a connpool pool asks for the wrong connection type:"
                    + " Pool 'echo' hands out connections of type io.connpool.tcp.TcpConnection, which cannot be"
                    + " java.lang.String as asked; ask for pool(\"echo\", TcpConnection.class) or a supertype of it.");
            assertThat(analysis.getAction()).startsWith("Ask PoolTemplate for io.connpool.tcp.TcpConnection (or a supertype)")
                    .contains("connpool.pools.echo.factory");
        });
    }

    @Test
    void aFactoryBeansGenericTypeIsTheConnectionType() {
        runner.withUserConfiguration(Factories.class)
                .withPropertyValues("connpool.pools.lambda.factory=lambdaFactory", "connpool.pools.named.factory=namedFactory")
                .run(context -> {
                    PoolRegistry registry = context.getBean(PoolRegistry.class);
                    assertThat(registry.connectionType("lambda")).isEqualTo(StringBuilder.class);
                    assertThat(registry.connectionType("named")).isEqualTo(StringBuilder.class);
                    assertThatThrownBy(() -> context.getBean(PoolTemplate.class).pool("lambda", Integer.class))
                            .isInstanceOf(WrongConnectionTypeException.class).hasMessageContaining("Pool 'lambda' hands out connections"
                                    + " of type java.lang.StringBuilder, which cannot be java.lang.Integer");
                });
    }

    @Test
    void aFactoryOfUnresolvableTypeIsCheckedOnTheFirstConnectionInstead() {
        runner.withUserConfiguration(Factories.class).withPropertyValues("connpool.pools.wild.factory=wildFactory").run(context -> {
            assertThat(context.getBean(PoolRegistry.class).connectionType("wild")).isNull();
            PoolHandle<Integer> wild = context.getBean(PoolTemplate.class).pool("wild", Integer.class);
            assertThatThrownBy(() -> wild.withConnection(c -> c))
                    .isInstanceOf(WrongConnectionTypeException.class)
                    .hasMessageStartingWith("Pool 'wild' handed out a connection of type java.lang.StringBuilder, but the caller"
                            + " expects java.lang.Integer");
        });
    }

    @Test
    void aUsersOwnPoolBeanIsTypedByItsBeanType() {
        runner.withUserConfiguration(OwnPool.class).run(context -> {
            assertThat(context.getBean(PoolRegistry.class).connectionType("mine")).isEqualTo(StringBuilder.class);
            assertThatThrownBy(() -> context.getBean(PoolTemplate.class).pool("mine", TcpConnection.class))
                    .isInstanceOf(WrongConnectionTypeException.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class WrongTypeAtStartUp {
        @Bean
        Object echoClient(PoolTemplate template) {
            return template.pool("echo", String.class);
        }
    }

    static final class NamedFactory implements ConnectionFactory<StringBuilder> {
        @Override
        public StringBuilder connect() {
            return new StringBuilder("named");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<StringBuilder> lambdaFactory() {
            return () -> new StringBuilder("lambda");
        }

        @Bean
        Object namedFactory() {
            return new NamedFactory();
        }

        @Bean
        ConnectionFactory<?> wildFactory() {
            return () -> new StringBuilder("wild");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {
        @Bean(destroyMethod = "close")
        Pool<StringBuilder> mine() {
            return Pool.builder(() -> new StringBuilder("mine")).name("mine").build();
        }
    }
}
