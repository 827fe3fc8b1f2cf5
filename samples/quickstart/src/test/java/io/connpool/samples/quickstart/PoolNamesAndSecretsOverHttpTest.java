package io.connpool.samples.quickstart;

import io.connpool.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over real HTTP: pools named as Boot binds them are served at their own path, and a secret (a tag
 * named like one, user info in a factory pool's address or in its factory's error) is on no response.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "connpool.pools[orders.db].factory=working", "connpool.pools[orders.db].min-idle=1",
        "connpool.pools[orders.db].tags.db-password=hunter2", "connpool.pools[orders.db].tags.X-Auth-Token=hunter2",
        "connpool.pools[orders.db].tags.zone=eu", "connpool.pools[orders.db].address=admin:hunter2@db:6379",
        "connpool.pools.ordersDb.factory=leaking", "connpool.pools.ordersDb.min-idle=1"})
class PoolNamesAndSecretsOverHttpTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void aDottedAndACamelCaseNameAreServedAtTheirOwnPathWithoutSecrets() throws Exception {
        HttpJson http = new HttpJson(port);
        await().until(() -> HttpJson.parse(http.get("/actuator/pools/ordersDb")).get("stats").get("createFailures").asLong() > 0);
        await().until(() -> HttpJson.parse(http.get("/actuator/pools/orders.db")).get("connections").size() > 0);

        JsonNode dotted = HttpJson.parse(http.get("/actuator/pools/orders.db"));
        assertThat(dotted.get("name").asString()).isEqualTo("orders.db");
        assertThat(dotted.get("settings").get("address").asString()).isEqualTo("******@db:6379");
        for (JsonNode tags : new JsonNode[] {dotted.get("settings").get("tags"), dotted.get("connections").get(0).get("tags")}) {
            assertThat(tags.get("db-password").asString()).isEqualTo("******");
            assertThat(tags.get("X-Auth-Token").asString()).isEqualTo("******");
            assertThat(tags.get("zone").asString()).isEqualTo("eu");
        }
        JsonNode camel = HttpJson.parse(http.get("/actuator/pools/ordersDb"));
        assertThat(camel.get("stats").get("lastError").asString()).contains("redis://******@db:6379");

        JsonNode health = HttpJson.parse(http.get("/actuator/health/pools"));
        assertThat(health.get("components").get("orders.db").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("ordersDb").get("details").get("lastError").asString()).contains("redis://******@db:6379");
        JsonNode meter = HttpJson.parse(http.get("/actuator/metrics/connpool.connections.max?tag=pool:orders.db"));
        assertThat(meter.get("measurements").get(0).get("value").asDouble()).isEqualTo(10.0);

        for (String path : new String[] {"/actuator/pools", "/actuator/pools/orders.db", "/actuator/pools/ordersDb",
                "/actuator/health", "/actuator/health/pools/ordersDb"}) {
            assertThat(http.get(path).body()).as(path).doesNotContain("hunter2");
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Factories {
        @Bean
        ConnectionFactory<Object> working() {
            return () -> "connection";
        }

        @Bean
        ConnectionFactory<Object> leaking() {
            return () -> {
                throw new IOException("cannot reach redis://admin:hunter2@db:6379/0");
            };
        }
    }
}
