package io.connpool.autoconfigure.web;

import io.connpool.CallbackException;
import io.connpool.Pool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC answers an empty 200 for exceptions it takes for a client that went away (an
 * {@code EOFException} in the chain, "broken pipe" in the message). A backend that died under a
 * pool's callback looks the same; it must stay an unhandled exception, which the server answers 500.
 */
class PoolFailuresAreNotDisconnectedClientsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
                    WebMvcAutoConfiguration.class, PoolWebMvcAutoConfiguration.class))
            .withUserConfiguration(BackendLostController.class);

    @Test
    void aCallbackWhoseBackendClosedTheConnectionIsLeftUnhandledNotAnswered200() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/backend-closed"))
                .hasFailed().failure().hasCauseInstanceOf(CallbackException.class)
                .hasRootCauseInstanceOf(EOFException.class));
    }

    @Test
    void aCallbackWhoseWriteHitABrokenPipeIsLeftUnhandledNotAnswered200() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/backend-broken-pipe"))
                .hasFailed().failure().hasCauseInstanceOf(CallbackException.class)
                .hasRootCauseMessage("Broken pipe"));
    }

    @Test
    void aPoolFailureTheApplicationWrappedInItsOwnExceptionIsLeftUnhandledToo() {
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/backend-closed-wrapped"))
                .hasFailed().failure().hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(EOFException.class));
    }

    @Test
    void aClientThatWentAwayWithoutAnyPoolInvolvedIsStillSpringsToHandle() {
        // Spring's own answer to a real disconnect: resolved, nothing written, no error raised.
        runner.run(context -> assertThat(MockMvcTester.from(context).get().uri("/client-gone"))
                .hasStatus(HttpStatus.OK).hasBodyTextEqualTo(""));
    }

    @Test
    void theGuardIsOnEvenWhenThe503MappingIsOff() {
        runner.withPropertyValues("connpool.web.enabled=false")
                .run(context -> assertThat(MockMvcTester.from(context).get().uri("/backend-closed"))
                        .hasFailed().failure().hasCauseInstanceOf(CallbackException.class));
    }

    @Test
    void aNonServletApplicationGetsNoGuard() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PoolWebMvcAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(PoolFailuresAreNotDisconnectedClients.class));
    }

    @RestController
    static class BackendLostController implements DisposableBean {

        private final Pool<Object> pool = Pool.builder(Object::new).name("redis").build();

        @GetMapping("/backend-closed")
        String backendClosed() {
            return pool.withConnection(connection -> {
                throw new EOFException("Redis closed the connection");
            });
        }

        @GetMapping("/backend-broken-pipe")
        String backendBrokenPipe() {
            return pool.withConnection(connection -> {
                throw new SocketException("Broken pipe");
            });
        }

        @GetMapping("/backend-closed-wrapped")
        String backendClosedWrapped() {
            try {
                return backendClosed();
            } catch (CallbackException e) {
                throw new IllegalStateException("could not read the basket", e);
            }
        }

        @GetMapping("/client-gone")
        String clientGone() {
            throw new UncheckedIOException(new EOFException("the client closed the connection"));
        }

        @Override
        public void destroy() {
            pool.close();
        }
    }
}
