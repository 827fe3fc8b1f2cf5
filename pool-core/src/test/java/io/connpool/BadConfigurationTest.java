package io.connpool;

import io.connpool.tcp.TcpConnectionFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builders beyond {@code Pool.Builder} (whose settings {@link PoolBuilderTest} covers) reject
 * nonsense before anything starts, naming the setting, the value and what is allowed.
 */
class BadConfigurationTest {

    private static final KeyedFakeFactory KEYED = new KeyedFakeFactory();
    private static final FakeFactory PLAIN = new FakeFactory();

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                bad("factory", "a ConnectionFactory", () -> Pool.builder(null)),
                bad("factory", "a KeyedConnectionFactory", () -> KeyedPool.builder(null)),
                bad("factory", "a ConnectionFactory", () -> SharedPool.builder(null)),
                bad("maxTotal", "at least 1", () -> KeyedPool.builder(KEYED).maxTotal(0)),
                bad("maxPerKey", "at least 1", () -> KeyedPool.builder(KEYED).maxPerKey(0)),
                bad("maxPerKey", "at most maxTotal (4)", () -> KeyedPool.builder(KEYED).maxTotal(4).maxPerKey(5).build()),
                bad("maxIdlePerKey", "at least 0", () -> KeyedPool.builder(KEYED).maxIdlePerKey(-1)),
                bad("minIdlePerKey", "at least 0", () -> KeyedPool.builder(KEYED).minIdlePerKey(-1)),
                bad("minIdlePerKey", "at most maxPerKey (2)", () -> KeyedPool.builder(KEYED).maxPerKey(2).minIdlePerKey(3).build()),
                bad("acquireTimeout", "zero or more", () -> KeyedPool.builder(KEYED).acquireTimeout(Duration.ofSeconds(-1))),
                bad("maxCallsPerConnection", "at least 1", () -> SharedPool.builder(PLAIN).maxCallsPerConnection(0)),
                bad("routing", "one of", () -> SharedPool.builder(PLAIN).routing(null)),
                bad("maxSize", "at least 1", () -> SharedPool.builder(PLAIN).maxSize(0)),
                bad("address", "host:port", () -> TcpConnectionFactory.to("localhost")),
                bad("address", "numeric port", () -> TcpConnectionFactory.to("localhost:http")),
                bad("address", "a host name or IP address", () -> TcpConnectionFactory.to(" ", 80)),
                bad("address", "a port from 1 to 65535", () -> TcpConnectionFactory.to("localhost", 70000)),
                bad("connectTimeout", "a duration of zero or more", () -> TcpConnectionFactory.to("localhost", 1).connectTimeout(Duration.ofSeconds(-1))),
                bad("readTimeout", "a duration of zero or more", () -> TcpConnectionFactory.to("localhost", 1).readTimeout(null)));
    }

    private static Arguments bad(String setting, String allowed, ThrowingCallable configure) {
        return Arguments.of(setting, allowed, configure);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badConfigurations")
    void rejectsNamingTheSettingAndWhatIsAllowed(String setting, String allowed, ThrowingCallable configure) {
        assertThatThrownBy(configure)
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.setting()).isEqualTo(setting))
                .hasMessageStartingWith(setting + " must be ")
                .hasMessageContaining(allowed)
                .hasMessageContaining("but was");
        assertThat(KEYED.perKey).as("no pool was started").isEmpty();
        assertThat(PLAIN.connectCalls).hasValue(0);
    }
}
