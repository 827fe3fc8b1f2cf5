package io.connpool;

import io.connpool.tcp.TcpConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A built pool tells the settings in effect: defaults filled in, only those of its kind, its factory's too. */
class PoolSettingsShownTest {

    /** Builder methods that take code (or name the pool), not a value to show. */
    private static final Set<String> NOT_SETTINGS = Set.of("name", "listener", "ticker", "brokenWhen", "build");

    private final List<ManagedPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(ManagedPool::close);
    }

    private <P extends ManagedPool> P open(P pool) {
        pools.add(pool);
        return pool;
    }

    @Test
    void anUnsetMaxIdleIsShownAsMaxSize() {
        Pool<FakeConnection> pool = open(Pool.builder(new FakeFactory()).maxSize(7).build());

        assertThat(pool.settings()).containsEntry("maxSize", 7).containsEntry("maxIdle", 7);
    }

    @Test
    void anUnsetMaxPendingIsShownAsNoLimit() {
        Pool<FakeConnection> pool = open(Pool.builder(new FakeFactory()).build());

        assertThat(pool.settings()).containsEntry("maxPending", Integer.MAX_VALUE);
    }

    @Test
    void unsetDurationsAreShownWithTheirDefaults() {
        Pool<FakeConnection> pool = open(Pool.builder(new FakeFactory()).acquireTimeout(Duration.ofSeconds(2)).build());

        assertThat(pool.settings()).containsEntry("acquireTimeout", Duration.ofSeconds(2))
                .containsEntry("idleTimeout", Duration.ofMinutes(10)).containsEntry("keepaliveInterval", Duration.ZERO);
    }

    @Test
    void aPlainPoolShowsNeitherSharedNorKeyedSettings() {
        Pool<FakeConnection> pool = open(Pool.builder(new FakeFactory()).build());

        assertThat(pool.settings()).containsKeys("maxSize", "minIdle", "maxIdle")
                .doesNotContainKeys("maxCallsPerConnection", "routing", "maxTotal", "maxPerKey", "maxIdlePerKey", "minIdlePerKey");
    }

    @Test
    void aSharedPoolShowsItsCallsPerConnectionAndRouting() {
        SharedPool<FakeChannel> pool = open(SharedPool.builder(new FakeChannelFactory()).maxCallsPerConnection(16)
                .routing(Routing.ROUND_ROBIN).build());

        assertThat(pool.settings()).containsEntry("maxCallsPerConnection", 16).containsEntry("routing", Routing.ROUND_ROBIN)
                .doesNotContainKeys("maxTotal", "maxPerKey");
    }

    @Test
    void aKeyedPoolShowsItsPerKeySizesInsteadOfThePlainOnes() {
        KeyedPool<String, FakeConnection> pool = open(KeyedPool.builder(new KeyedFakeFactory()).maxTotal(20).maxPerKey(4).build());

        assertThat(pool.settings()).containsEntry("maxTotal", 20).containsEntry("maxPerKey", 4)
                .containsEntry("maxIdlePerKey", 4).containsEntry("minIdlePerKey", 0)
                .doesNotContainKeys("maxSize", "minIdle", "maxIdle", "maxCallsPerConnection", "routing");
    }

    @Test
    void aResizedPoolShowsItsNewSize() {
        Pool<FakeConnection> pool = open(Pool.builder(new FakeFactory()).maxSize(8).build());
        KeyedPool<String, FakeConnection> keyed = open(KeyedPool.builder(new KeyedFakeFactory()).maxTotal(20).build());

        pool.resize(3);
        keyed.resize(30);

        assertThat(pool.settings()).containsEntry("maxSize", 3).containsEntry("maxIdle", 3);
        assertThat(keyed.settings()).containsEntry("maxTotal", 30);
    }

    @Test
    void aTcpPoolShowsTheTimeoutsOfItsFactory() {
        TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1:1").connectTimeout(Duration.ofMillis(1500))
                .readTimeout(Duration.ofSeconds(3)).build();
        Pool<?> pool = open(Pool.builder(factory).build());

        assertThat(pool.settings()).containsEntry("address", "127.0.0.1:1").containsEntry("tls", false)
                .containsEntry("connectTimeout", Duration.ofMillis(1500)).containsEntry("readTimeout", Duration.ofSeconds(3));
    }

    @Test
    void aFactorySettingNeverHidesThePoolsOwn() {
        Described factory = new Described() {
            @Override
            public Map<String, ?> settings() {
                return Map.of("maxSize", 999, "region", "eu");
            }
        };
        Pool<Object> pool = open(Pool.builder(factory).maxSize(5).build());

        assertThat(pool.settings()).containsEntry("maxSize", 5).containsEntry("region", "eu");
    }

    @Test
    void aFactoryWhoseSettingsThrowLeavesThePoolsSettingsShown() {
        Described factory = new Described() {
            @Override
            public Map<String, ?> settings() {
                throw new IllegalStateException("not today");
            }
        };
        Pool<Object> pool = open(Pool.builder(factory).maxSize(5).build());

        assertThat(pool.settings()).containsEntry("maxSize", 5);
    }

    @Test
    void everyBuilderSettingIsShownByEveryKindThatHasIt() {
        assertThat(missing(Pool.builder(new FakeFactory()).getClass(), open(Pool.builder(new FakeFactory()).build()))).isEmpty();
        assertThat(missing(SharedPool.builder(new FakeChannelFactory()).getClass(),
                open(SharedPool.builder(new FakeChannelFactory()).build()))).isEmpty();
        assertThat(missing(KeyedPool.builder(new KeyedFakeFactory()).getClass(),
                open(KeyedPool.builder(new KeyedFakeFactory()).build()))).isEmpty();
    }

    /** A factory that describes itself. */
    private abstract static class Described implements ConnectionFactory<Object>, DescribedFactory {
        @Override
        public Object connect() {
            return new Object();
        }
    }

    /** The builder's public setters with no entry named after them (connectBackoff shows as connectBackoffInitial, …). */
    private static Set<String> missing(Class<?> builder, ManagedPool pool) {
        Set<String> shown = pool.settings().keySet();
        Set<String> missing = new TreeSet<>();
        for (Method setter : builder.getMethods()) {
            String name = setter.getName();
            if (Modifier.isStatic(setter.getModifiers()) || setter.getDeclaringClass() == Object.class || NOT_SETTINGS.contains(name)) {
                continue;
            }
            if (shown.stream().noneMatch(key -> key.startsWith(name))) {
                missing.add(name);
            }
        }
        return missing;
    }
}
