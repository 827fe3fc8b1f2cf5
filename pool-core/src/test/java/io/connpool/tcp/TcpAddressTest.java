package io.connpool.tcp;

import io.connpool.InvalidConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A TCP connection has no use for credentials: an address with user info is refused, without echoing it. */
class TcpAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"admin:hunter2@db:6379", "hunter2@db:6379", ":hunter2@db:6379", "admin:hun@ter2@db:6379"})
    void anAddressWithUserInfoIsRefusedWithoutEchoingIt(String address) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> TcpConnectionFactory.to(address));
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("ter2").doesNotContain("admin")
                .contains("******@db:6379").contains("without credentials");
        assertThat(e.setting()).isEqualTo("address");
        assertThat(String.valueOf(e.value())).isEqualTo("******@db:6379");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin:hunter2@db", "hunter2@db"})
    void aHostWithUserInfoIsRefusedWithoutEchoingIt(String host) {
        assertThatThrownBy(() -> TcpConnectionFactory.to(host, 6379)).isInstanceOf(InvalidConfigException.class)
                .hasMessageNotContaining("hunter2").hasMessageContaining("******@db");
    }
}
