package io.connpool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolBuilderTest extends PoolTestSupport {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("maxSize", "at least 1", b -> b.maxSize(0)),
                bad("maxSize", "at least 1", b -> b.maxSize(-5)),
                bad("minIdle", "at least 0", b -> b.minIdle(-1)),
                bad("minIdle", "at most maxSize (4)", b -> b.maxSize(4).minIdle(5).build()),
                bad("maxIdle", "at least 0", b -> b.maxIdle(-1)),
                bad("maxIdle", "at least minIdle (3)", b -> b.minIdle(3).maxIdle(2).build()),
                bad("maxPending", "at least 0", b -> b.maxPending(-1)),
                bad("acquireTimeout", "zero or more", b -> b.acquireTimeout(Duration.ofSeconds(-1))),
                bad("acquireTimeout", "zero or more", b -> b.acquireTimeout(null)),
                bad("handOffAfter", "zero or more", b -> b.handOffAfter(Duration.ofMillis(-1))),
                bad("idleTimeout", "zero or more", b -> b.idleTimeout(Duration.ofMillis(-1))),
                bad("maxLifetime", "zero or more", b -> b.maxLifetime(Duration.ofMillis(-1))),
                bad("validateAfterInactivity", "zero or more", b -> b.validateAfterInactivity(Duration.ofMillis(-1))),
                bad("keepaliveInterval", "zero or more", b -> b.keepaliveInterval(Duration.ofMillis(-1))),
                bad("leakDetectionThreshold", "zero or more", b -> b.leakDetectionThreshold(Duration.ofMillis(-1))),
                bad("connectBackoff.initial", "positive", b -> b.connectBackoff(Duration.ZERO, Duration.ofSeconds(1))),
                bad("connectBackoff.max", "at least connectBackoff.initial", b -> b.connectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))),
                bad("maxConnecting", "at least 1", b -> b.maxConnecting(0)),
                bad("name", "non-blank", b -> b.name(" ")),
                bad("listener", "non-null", b -> b.listener(null)),
                bad("ticker", "non-null", b -> b.ticker(null)),
                bad("brokenWhen", "non-null", b -> b.brokenWhen(null)),
                bad("tag", "non-null", b -> b.tag("k", null)));
    }

    private static Arguments bad(String setting, String allowed, Consumer<Pool.Builder<FakeConnection>> configure) {
        return Arguments.of(setting, allowed, configure);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badSettings")
    void rejectsSettingOutOfRangeNamingIt(String setting, String allowed, Consumer<Pool.Builder<FakeConnection>> configure) {
        assertThatThrownBy(() -> configure.accept(builder()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.setting()).isEqualTo(setting))
                .hasMessageStartingWith(setting + " must be ")
                .hasMessageContaining(allowed)
                .hasMessageContaining("but was");
        assertThat(factory.connectCalls).as("no pool was started").hasValue(0);
    }

    @Test
    void rejectsNullFactory() {
        assertThatThrownBy(() -> Pool.builder(null)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("factory");
    }

    @Test
    void defaultsAreDocumentedOnes() {
        Pool<FakeConnection> pool = pool(Pool.builder(factory));
        PoolStats stats = pool.stats();
        assertThat(stats.maxSize()).isEqualTo(10);
        assertThat(stats.minIdle()).isEqualTo(0);
        assertThat(pool.name()).startsWith("pool-");
        assertThat(stats.circuit()).isEqualTo(CircuitState.CLOSED);
    }
}
