package io.connpool.autoconfigure.web;

import io.connpool.ConnectionFailedException;
import io.connpool.NoMatchingConnectionException;
import io.connpool.PoolClosedException;
import io.connpool.PoolException;
import io.connpool.PoolExhaustedException;
import io.connpool.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers {@code 503 Service Unavailable} with RFC 9457 Problem Details when a pool could not give a
 * connection: exhausted or timed out (also while paused), unable to connect (also while its circuit
 * breaker fails callers fast), closed, or no connection matching a filter. {@code Retry-After} is set
 * when the pool knows when it will dial again. Works for Spring MVC and WebFlux annotated controllers.
 *
 * <p>Only these types are mapped: what a callback threw (passed through, or wrapped in a
 * {@code CallbackException}) stays the application's business. Ordered last, so that an
 * {@code @ExceptionHandler} of the user's, in a controller or in an advice, wins.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class PoolProblemDetailsExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PoolProblemDetailsExceptionHandler.class);

    /** Every message a pool writes starts with its name: the exceptions carry no separate field for it. */
    private static final Pattern POOL_NAME = Pattern.compile("^Pool '([^']*)'");

    static final URI EXHAUSTED = URI.create("urn:connpool:problem:pool-exhausted");
    static final URI CONNECTION_FAILED = URI.create("urn:connpool:problem:connection-failed");
    static final URI CLOSED = URI.create("urn:connpool:problem:pool-closed");
    static final URI NO_MATCHING_CONNECTION = URI.create("urn:connpool:problem:no-matching-connection");

    @ExceptionHandler(PoolExhaustedException.class)
    public ResponseEntity<ProblemDetail> exhausted(PoolExhaustedException e) {
        return answer(e, EXHAUSTED, "Connection pool exhausted", null);
    }

    @ExceptionHandler(ConnectionFailedException.class)
    public ResponseEntity<ProblemDetail> connectionFailed(ConnectionFailedException e) {
        return answer(e, CONNECTION_FAILED, "Cannot connect to the backend", e.retryAfter().orElse(null));
    }

    @ExceptionHandler(PoolClosedException.class)
    public ResponseEntity<ProblemDetail> closed(PoolClosedException e) {
        return answer(e, CLOSED, "Connection pool closed", null);
    }

    @ExceptionHandler(NoMatchingConnectionException.class)
    public ResponseEntity<ProblemDetail> noMatchingConnection(NoMatchingConnectionException e) {
        return answer(e, NO_MATCHING_CONNECTION, "No matching connection", null);
    }

    private static ResponseEntity<ProblemDetail> answer(PoolException e, URI type, String title, Duration retryAfter) {
        // The pool's messages already mask credentials; redacting again guards a message built elsewhere.
        String detail = Secrets.redact(e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setType(type);
        problem.setTitle(title);
        String pool = poolName(e);
        if (pool != null) {
            problem.setProperty("pool", pool);
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
        if (retryAfter != null) {
            long seconds = retryAfterSeconds(retryAfter);
            problem.setProperty("retryAfterSeconds", seconds);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        // Metrics and the pool's own logs carry the failures; a line per rejected request would flood the log.
        log.debug("Answered 503: {}", detail);
        return response.body(problem);
    }

    /** Whole seconds, rounded up, so that a client never comes back before the pool dials again. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.toSeconds();
        return retryAfter.equals(Duration.ofSeconds(seconds)) ? Math.max(1, seconds) : seconds + 1;
    }

    private static String poolName(PoolException e) {
        Matcher matcher = e.getMessage() == null ? null : POOL_NAME.matcher(e.getMessage());
        return matcher != null && matcher.find() ? matcher.group(1) : null;
    }
}
