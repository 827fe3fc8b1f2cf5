package io.connpool.autoconfigure.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** In a WebFlux app, a pool that cannot give a connection answers 503 with Problem Details too. */
class PoolWebFluxProblemDetailsTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
                    WebFluxAutoConfiguration.class, HttpHandlerAutoConfiguration.class, PoolWebAutoConfiguration.class))
            .withUserConfiguration(FailingPoolsController.class);

    @Test
    void anExhaustedPoolIs503WithProblemDetails() {
        runner.run(context -> WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/exhausted").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist("Retry-After")
                .expectBody().json("""
                        {"type": "urn:connpool:problem:pool-exhausted", "title": "Connection pool exhausted",
                         "status": 503, "pool": "orders", "instance": "/exhausted"}"""));
    }

    @Test
    void aPoolThatCannotConnectIs503WithRetryAfter() {
        runner.run(context -> WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/down").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().value("Retry-After", value -> assertThat(Long.parseLong(value)).isBetween(15L, 30L))
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:connpool:problem:connection-failed")
                .jsonPath("$.pool").isEqualTo("billing")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).doesNotContain("hunter2")));
    }

    @Test
    void aClosedPoolIs503() {
        runner.run(context -> WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/closed").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.type").isEqualTo("urn:connpool:problem:pool-closed"));
    }

    @Test
    void anExceptionOfTheCallbackStays500() {
        runner.run(context -> WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/callback-throws-checked").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR));
    }

    @Test
    void aCallbackWhoseBackendClosedTheConnectionStays500NotAnEmpty200() {
        // WebFlux sets 500 before it considers a disconnected client, so no guard is needed here.
        runner.run(context -> WebTestClient.bindToApplicationContext(context).build()
                .get().uri("/callback-backend-closed").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR));
    }

    @Test
    void connpoolWebEnabledFalseLeavesPoolFailuresAt500() {
        runner.withPropertyValues("connpool.web.enabled=false").run(context -> WebTestClient
                .bindToApplicationContext(context).build()
                .get().uri("/exhausted").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR));
    }
}
