package io.connpool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "PASSWORD", "Password", "db.password", "dbPassword", "db_password", "DB_PASSWORD",
            "db-password", "password-file", "passwd", "passphrase", "pwd", "db.pwd", "pass", "redis.pass", "secret",
            "client-secret", "clientSecret", "CLIENT_SECRET", "token", "X-Auth-Token", "x-auth-token", "authToken",
            "refresh_token", "credential", "credentials", "aws.credentials", "api-key", "apikey", "api_key", "apiKey",
            "API_KEY", "x-api-key", "access-key", "accessKey", "access_key_id", "AWS_ACCESS_KEY_ID", "private-key",
            "privateKey", "tls.private_key", "auth", "Auth", "basic-auth", "oauth", "Authorization", "proxy-authorization",
            "bearer", "session-key", "sessionKey", "signature", "x-signature", "jwt", "cookie", "Set-Cookie"})
    void namesThatHoldSecretsAreMaskedInEverySpelling(String name) {
        assertThat(Secrets.isSecretName(name)).isTrue();
        assertThat(Secrets.shown(name, "hunter2")).isEqualTo(Secrets.MASK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zone", "region", "role", "host", "address", "max-size", "author", "authority", "passenger",
            "keyed", "key", "tenant", "user", "username", "pool", "db.name", "version"})
    void ordinaryNamesStayVisible(String name) {
        assertThat(Secrets.isSecretName(name)).isFalse();
        assertThat(Secrets.shown(name, "eu-west")).isEqualTo("eu-west");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cannot reach redis://admin:hunter2@db:6379/0|cannot reach redis://******@db:6379/0",
            "redis://hunter2@db:6379|redis://******@db:6379",
            "redis://:hunter2@db:6379|redis://******@db:6379",
            "jdbc:postgresql://admin:hunter2@db:5432/orders?ssl=true|jdbc:postgresql://******@db:5432/orders?ssl=true",
            "amqp://admin:hun@ter2@mq/vhost|amqp://******@mq/vhost",
            "redis://admin:ab/hunter2+Q==@db:6379|redis://******@db:6379",
            "refused admin:ab/hunter2@db:6379|refused ******@db:6379",
            "via redis://admin:pa?ss@db:6379|via redis://******@db:6379",
            "java.net.UnknownHostException: admin:hunter2@db|java.net.UnknownHostException: ******@db",
            "Connection refused: admin:hunter2@db:6379|Connection refused: ******@db:6379",
            "address=admin:hunter2@db:6379 failed|address=******@db:6379 failed",
            "dial (admin:hunter2@[::1]:6379) failed|dial (******@[::1]:6379) failed",
            "dial hunter2@db:6379 failed|dial ******@db:6379 failed",
            "a redis://a:b@one and a redis://c:d@two|a redis://******@one and a redis://******@two",
    })
    void userInfoInAMessageIsMasked(String message, String shown) {
        assertThat(Secrets.redact(message)).isEqualTo(shown);
        assertThat(Secrets.redact(shown)).as("masking twice changes nothing").isEqualTo(shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection refused", "mail ops@example.com about it", "GET http://db/search?who=a@b failed",
            "git@github.com:org/repo.git", "at 10:15 on db:6379"})
    void messagesWithoutUserInfoAreLeftAlone(String message) {
        assertThat(Secrets.redact(message)).isEqualTo(message);
    }

    @Test
    void anAddressLosesEverythingBeforeItsLastAt() {
        assertThat(Secrets.maskUserInfo("admin:hunter2@db:6379")).isEqualTo("******@db:6379");
        assertThat(Secrets.maskUserInfo("hunter2@db:6379")).isEqualTo("******@db:6379");
        assertThat(Secrets.maskUserInfo("admin:p@ss@db:6379")).isEqualTo("******@db:6379");
        assertThat(Secrets.maskUserInfo("rediss://admin:hunter2@db:6379")).isEqualTo("rediss://******@db:6379");
        assertThat(Secrets.maskUserInfo("db:6379")).isEqualTo("db:6379");
        assertThat(Secrets.maskUserInfo(null)).isNull();
        assertThat(Secrets.redact(null)).isNull();
        assertThat(Secrets.isSecretName(null)).isFalse();
    }
}
