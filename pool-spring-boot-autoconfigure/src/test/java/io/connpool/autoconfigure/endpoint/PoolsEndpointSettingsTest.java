package io.connpool.autoconfigure.endpoint;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedConnectionFactory;
import io.connpool.Pool;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /actuator/pools/{name}} shows the settings the pool has in effect, those of its kind only,
 * durations as ISO-8601 text: what the pool does, not what the properties said.
 */
class PoolsEndpointSettingsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class))
            .withUserConfiguration(Factories.class)
            .withPropertyValues("management.endpoints.web.exposure.include=pools");

    private Map<String, Object> settingsOf(String... properties) {
        AtomicReference<Map<String, Object>> settings = new AtomicReference<>();
        runner.withPropertyValues(properties).run(context -> settings.set(context.getBean(PoolsEndpoint.class).pool("p").settings()));
        return settings.get();
    }

    @Test
    void maxIdleUnsetShowsAsMaxSize() {
        assertThat(settingsOf("connpool.pools.p.factory=working", "connpool.pools.p.max-size=6"))
                .containsEntry("maxSize", 6).containsEntry("maxIdle", 6);
    }

    @Test
    void maxPendingUnsetShowsAsNoLimit() {
        assertThat(settingsOf("connpool.pools.p.factory=working")).containsEntry("maxPending", Integer.MAX_VALUE);
    }

    @Test
    void durationsShowAsIso8601Text() {
        assertThat(settingsOf("connpool.pools.p.factory=working", "connpool.pools.p.acquire-timeout=2s"))
                .containsEntry("acquireTimeout", "PT2S").containsEntry("maxLifetime", "PT30M").containsEntry("keepaliveInterval", "PT0S");
    }

    @Test
    void anExclusivePoolShowsNoSettingOfTheOtherKinds() {
        assertThat(settingsOf("connpool.pools.p.factory=working"))
                .doesNotContainKeys("maxCallsPerConnection", "routing", "maxTotal", "maxPerKey", "maxIdlePerKey", "minIdlePerKey");
    }

    @Test
    void aSharedPoolShowsItsCallsPerConnectionAndRouting() {
        assertThat(settingsOf("connpool.pools.p.factory=working", "connpool.pools.p.mode=shared",
                "connpool.pools.p.max-calls-per-connection=16", "connpool.pools.p.routing=round-robin"))
                .containsEntry("maxCallsPerConnection", 16).containsEntry("routing", "ROUND_ROBIN")
                .doesNotContainKeys("maxTotal", "maxPerKey", "maxIdlePerKey");
    }

    @Test
    void aKeyedPoolShowsItsPerKeySizesInsteadOfThePlainOnes() {
        assertThat(settingsOf("connpool.pools.p.factory=keyed", "connpool.pools.p.keyed=true", "connpool.pools.p.max-size=40",
                "connpool.pools.p.max-per-key=5", "connpool.pools.p.min-idle=1"))
                .containsEntry("maxTotal", 40).containsEntry("maxPerKey", 5).containsEntry("maxIdlePerKey", 5)
                .containsEntry("minIdlePerKey", 1)
                .doesNotContainKeys("maxSize", "minIdle", "maxIdle", "maxCallsPerConnection", "routing");
    }

    @Test
    void aTcpPoolShowsTheConnectAndReadTimeoutsItsSocketsGet() {
        assertThat(settingsOf("connpool.pools.p.type=tcp", "connpool.pools.p.address=127.0.0.1:1",
                "connpool.pools.p.connect-timeout=1500ms", "connpool.pools.p.read-timeout=3s"))
                .containsEntry("type", "tcp").containsEntry("address", "127.0.0.1:1")
                .containsEntry("connectTimeout", "PT1.5S").containsEntry("readTimeout", "PT3S").containsEntry("tls", false);
    }

    @Test
    void aKeyedTcpPoolShowsTheConnectAndReadTimeoutsOfEveryKey() {
        assertThat(settingsOf("connpool.pools.p.type=tcp", "connpool.pools.p.keyed=true",
                "connpool.pools.p.connect-timeout=1500ms", "connpool.pools.p.read-timeout=3s"))
                .containsEntry("connectTimeout", "PT1.5S").containsEntry("readTimeout", "PT3S")
                .doesNotContainKey("address");
    }

    @Test
    void aPoolBeanOfTheUsersOwnShowsItsSettingsToo() {
        runner.withUserConfiguration(OwnPool.class).run(context ->
                assertThat(context.getBean(PoolsEndpoint.class).pool("own").settings())
                        .containsEntry("maxSize", 3).containsEntry("maxIdle", 3).containsEntry("acquireTimeout", "PT1S"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }

        @Bean
        KeyedConnectionFactory<String, Object> keyed() {
            return key -> "connection to " + key;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {
        @Bean(destroyMethod = "close")
        Pool<Object> own() {
            return Pool.<Object>builder(() -> "connection").name("own").maxSize(3).acquireTimeout(java.time.Duration.ofSeconds(1)).build();
        }
    }
}
