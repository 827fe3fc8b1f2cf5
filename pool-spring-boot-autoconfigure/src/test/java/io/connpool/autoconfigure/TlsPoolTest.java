package io.connpool.autoconfigure;

import io.connpool.Pool;
import io.connpool.tcp.TcpConnection;
import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** type: tcp with ssl-bundle: the pool's connections speak TLS, trusting what the bundle trusts. */
@SuppressWarnings("unchecked")
class TlsPoolTest {

    @Test
    void sslBundleMakesTheConnectionsTls() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ConnPoolAutoConfiguration.class))
                .withPropertyValues(
                        "spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/cert.pem",
                        "spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/key.pem",
                        "spring.ssl.bundle.pem.client.truststore.certificate=classpath:tls/cert.pem")
                .run(serverSide -> {
                    SslBundles bundles = serverSide.getBean(SslBundles.class);
                    try (EchoServer server = EchoServer.onFreePort(
                            bundles.getBundle("server").createSslContext().getServerSocketFactory())) {
                        new ApplicationContextRunner()
                                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ConnPoolAutoConfiguration.class))
                                .withPropertyValues(
                                        "spring.ssl.bundle.pem.client.truststore.certificate=classpath:tls/cert.pem",
                                        "connpool.pools.secure.type=tcp",
                                        "connpool.pools.secure.address=127.0.0.1:" + server.port(),
                                        "connpool.pools.secure.ssl-bundle=client")
                                .run(context -> {
                                    Pool<TcpConnection> pool = context.getBean("secure", Pool.class);
                                    String reply = pool.withConnection(c -> {
                                        assertThat(c.socket()).isInstanceOf(SSLSocket.class);
                                        return ConnPoolAutoConfigurationTest.echo(c, "over tls");
                                    });
                                    assertThat(reply).isEqualTo("over tls");
                                });
                    }
                });
    }

    @Test
    void unknownSslBundleStopsStartUpNamingTheProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ConnPoolAutoConfiguration.class))
                .withPropertyValues("connpool.pools.secure.type=tcp", "connpool.pools.secure.address=127.0.0.1:1",
                        "connpool.pools.secure.ssl-bundle=missing")
                .run(context -> assertThat(new PoolConfigurationFailureAnalyzer().analyze(context.getStartupFailure())
                        .getDescription()).contains("'connpool.pools.secure.ssl-bundle'").contains("'missing'"));
    }
}
