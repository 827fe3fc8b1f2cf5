package io.connpool.autoconfigure.web;

import io.connpool.PoolException;
import io.connpool.PoolExhaustedException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** In a Spring MVC app, a pool that cannot give a connection answers 503 with Problem Details. */
class PoolWebMvcProblemDetailsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class, PoolWebAutoConfiguration.class))
            .withUserConfiguration(FailingPoolsController.class);

    @Test
    void anExhaustedPoolIs503WithProblemDetailsNamingThePool() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/exhausted"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .doesNotContainHeader("Retry-After")
                .bodyJson().isLenientlyEqualTo("""
                        {"type": "urn:connpool:problem:pool-exhausted", "title": "Connection pool exhausted",
                         "status": 503, "pool": "orders", "instance": "/exhausted"}"""));
    }

    @Test
    void anExhaustedPoolsDetailIsThePoolsOwnExplanation() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/exhausted"))
                .bodyJson().extractingPath("$.detail").asString()
                .startsWith("Pool 'orders' exhausted: no connection within").contains("in-use=1", "max=1"));
    }

    @Test
    void aPausedPoolIs503SayingItIsPaused() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/paused"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .bodyJson().satisfies(json -> {
                    json.assertThat().extractingPath("$.pool").isEqualTo("reports");
                    json.assertThat().extractingPath("$.detail").asString().contains("the pool is paused");
                }));
    }

    @Test
    void aPoolThatCannotConnectIs503WithRetryAfterUntilItsNextAttempt() {
        runner.run(context -> {
            var result = assertThat(MockMvcTester.from(context).get().uri("/down"))
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                    .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            // back-off 30 s, jittered between half and all of it
            result.headers().extracting(h -> Long.parseLong(h.getFirst("Retry-After"))).satisfies(seconds ->
                    assertThat(seconds).isBetween(15L, 30L));
            result.bodyJson().isLenientlyEqualTo("""
                    {"type": "urn:connpool:problem:connection-failed", "title": "Cannot connect to the backend",
                     "status": 503, "pool": "billing"}""");
        });
    }

    @Test
    void aPoolThatCannotConnectNeverShowsTheCredentialsItsFactoryLeaked() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/down"))
                .bodyText().contains("db.internal:6379").doesNotContain("hunter2").doesNotContain("admin"));
    }

    @Test
    void aClosedPoolIs503() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/closed"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .bodyJson().isLenientlyEqualTo("""
                        {"type": "urn:connpool:problem:pool-closed", "status": 503, "pool": "archive"}"""));
    }

    @Test
    void noConnectionMatchingAFilterIs503() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/no-match"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .bodyJson().isLenientlyEqualTo("""
                        {"type": "urn:connpool:problem:no-matching-connection", "status": 503, "pool": "search"}"""));
    }

    @Test
    void anUncheckedExceptionOfTheCallbackIsLeftToTheApplication() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/callback-throws"))
                .hasFailed().failure().hasCauseInstanceOf(IllegalStateException.class));
    }

    @Test
    void aCheckedExceptionOfTheCallbackIsLeftToTheApplication() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/callback-throws-checked"))
                .hasFailed().failure().hasCauseInstanceOf(io.connpool.CallbackException.class));
    }

    @Test
    void connpoolWebEnabledFalseLeavesPoolFailuresUnmapped() {
        runner.withPropertyValues("connpool.web.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PoolProblemDetailsExceptionHandler.class);
            assertThat(MockMvcTester.from(context).get().uri("/exhausted"))
                    .hasFailed().failure().hasCauseInstanceOf(PoolExhaustedException.class);
        });
    }

    @Test
    void aUsersAdviceForThePoolsExceptionWins() {
        runner.withUserConfiguration(UserAdvice.class).run(context -> assertThat(
                MockMvcTester.from(context).get().uri("/exhausted"))
                .hasStatus(HttpStatus.TOO_MANY_REQUESTS).hasBodyTextEqualTo("busy, says the user"));
    }

    @Test
    void aUsersAdviceForAllPoolExceptionsWins() {
        runner.withUserConfiguration(UserAdviceForEveryPoolException.class).run(context -> assertThat(
                MockMvcTester.from(context).get().uri("/down"))
                .hasStatus(HttpStatus.BAD_GATEWAY).hasBodyTextEqualTo("the user's own answer"));
    }

    @Test
    void aUsersOwnHandlerBeanReplacesOurs() {
        runner.withUserConfiguration(UserHandlerBean.class).run(context ->
                assertThat(context).getBean(PoolProblemDetailsExceptionHandler.class)
                        .isSameAs(context.getBean("myHandler")));
    }

    @Test
    void aNonWebApplicationGetsNoHandler() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolWebAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(PoolProblemDetailsExceptionHandler.class));
    }

    @Test
    void anAppWithoutSpringWebsProblemDetailGetsNoHandler() {
        runner.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
                        org.springframework.http.ProblemDetail.class))
                .run(context -> assertThat(context).doesNotHaveBean(PoolProblemDetailsExceptionHandler.class));
    }

    @ControllerAdvice
    static class UserAdvice {

        @ExceptionHandler(PoolExhaustedException.class)
        ResponseEntity<String> busy(PoolExhaustedException e) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("busy, says the user");
        }
    }

    @ControllerAdvice
    static class UserAdviceForEveryPoolException {

        @ExceptionHandler(PoolException.class)
        ResponseEntity<String> mine(PoolException e) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("the user's own answer");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHandlerBean {

        @Bean
        PoolProblemDetailsExceptionHandler myHandler() {
            return new PoolProblemDetailsExceptionHandler();
        }
    }
}
