package io.connpool.autoconfigure.web;

import io.connpool.PoolException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver;
import org.springframework.web.util.DisconnectedClientHelper;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Keeps Spring MVC from answering an empty {@code 200} when a pool's exception is left unhandled.
 *
 * <p>Why: {@link DefaultHandlerExceptionResolver} asks {@link DisconnectedClientHelper} whether an
 * exception means the HTTP client went away, and if so resolves it to an empty {@code ModelAndView}:
 * nothing is written and the response goes out as {@code 200} with no body. The helper guesses from
 * names, not from where the failure happened: an {@code EOFException} anywhere in the cause chain, or
 * "broken pipe" / "connection reset by peer" in the innermost message. A callback whose backend died
 * mid-command (Redis killed: {@code CallbackException} caused by {@code EOFException}) looks exactly
 * like that. Spring exempts its own client-side exceptions ({@code RestClientException},
 * {@code DataAccessException}, ...) from the guess, but the list is closed, so a pool's exceptions
 * cannot join it.
 *
 * <p>So the {@code DefaultHandlerExceptionResolver} in Spring MVC's resolver chain is wrapped: when a
 * {@link PoolException} is in the cause chain and the helper would call it a disconnected client, the
 * wrapper leaves the exception unresolved, and it goes on as any unhandled exception does (logged by the
 * servlet container, {@code 500} through Spring Boot's error page). Everything else goes to Spring's
 * resolver unchanged, real client disconnects included. Handlers of the application's
 * ({@code @ExceptionHandler}) and the starter's 503 mapping run before this resolver and are not affected.
 * Out of reach: an exception that an {@code @ExceptionHandler} method itself throws is judged by
 * {@code ExceptionHandlerExceptionResolver}, which makes the same guess without asking any other resolver.
 */
final class PoolFailuresAreNotDisconnectedClients implements WebMvcConfigurer {

    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        resolvers.replaceAll(resolver -> resolver instanceof DefaultHandlerExceptionResolver defaults
                ? new Guard(defaults) : resolver);
    }

    static boolean isPoolFailure(Throwable exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PoolException) {
                return true;
            }
        }
        return false;
    }

    /** Spring's resolver, except for pool failures that only look like a client that went away. */
    static final class Guard implements HandlerExceptionResolver {

        private final DefaultHandlerExceptionResolver delegate;

        Guard(DefaultHandlerExceptionResolver delegate) {
            this.delegate = delegate;
        }

        @Override
        public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                             Exception exception) {
            if (DisconnectedClientHelper.isClientDisconnectedException(exception) && isPoolFailure(exception)) {
                return null;
            }
            return delegate.resolveException(request, response, handler, exception);
        }

        @Override
        public String toString() {
            return "PoolFailuresAreNotDisconnectedClients(" + delegate + ")";
        }
    }
}
