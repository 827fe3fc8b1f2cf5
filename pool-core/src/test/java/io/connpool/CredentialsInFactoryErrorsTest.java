package io.connpool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A factory's exception may name a URI with credentials in it (a JDBC driver or Redis client
 * echoing the URL it was given). The pool shows that failure in its stats, and passes it to the
 * caller: neither may carry the credentials, whichever kind of pool.
 */
class CredentialsInFactoryErrorsTest {

    private static final Supplier<Exception> FAILURE = () -> new IOException("cannot reach redis://admin:hunter2@db:6379/0",
            new UnknownHostException("admin:hunter2@db"));

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void assertNoCredentials(ManagedPool pool, ConnectionFailedException failure) {
        assertThat(failure.getMessage()).doesNotContain("hunter2").contains("redis://******@db:6379/0");
        assertThat(stackTrace(failure)).doesNotContain("hunter2").doesNotContain("admin")
                .contains("java.io.IOException: cannot reach redis://******@db:6379/0")
                .contains("java.net.UnknownHostException: ******@db");
        assertThat(pool.stats().lastError()).doesNotContain("hunter2").contains("redis://******@db:6379/0");
    }

    @Test
    void anExclusivePoolShowsNoCredentialsOfItsFactorysError() {
        try (Pool<Object> pool = Pool.builder(() -> {
            throw FAILURE.get();
        }).name("orders").acquireTimeout(Duration.ofSeconds(5)).build()) {
            assertNoCredentials(pool, catchThrowableOfType(ConnectionFailedException.class, pool::acquire));
        }
    }

    @Test
    void aSharedPoolShowsNoCredentialsOfItsFactorysError() {
        try (SharedPool<Object> pool = SharedPool.builder(() -> {
            throw FAILURE.get();
        }).name("prices").acquireTimeout(Duration.ofSeconds(5)).build()) {
            assertNoCredentials(pool, catchThrowableOfType(ConnectionFailedException.class, pool::acquire));
        }
    }

    @Test
    void aKeyedPoolShowsNoCredentialsOfItsFactorysError() {
        try (KeyedPool<String, Object> pool = KeyedPool.<String, Object>builder(key -> {
            throw FAILURE.get();
        }).name("backends").acquireTimeout(Duration.ofSeconds(5)).build()) {
            ConnectionFailedException failure = catchThrowableOfType(ConnectionFailedException.class, () -> pool.acquire("db"));
            assertNoCredentials(pool, failure);
            assertThat(pool.stats("db").lastError()).doesNotContain("hunter2");
        }
    }

    @Test
    void aFailureWithoutCredentialsReachesTheCallerAsItIs() {
        ConnectException refused = new ConnectException("Connection refused");
        try (Pool<Object> pool = Pool.builder(() -> {
            throw refused;
        }).acquireTimeout(Duration.ofSeconds(5)).build()) {
            assertThat(catchThrowableOfType(ConnectionFailedException.class, pool::acquire).getCause()).isSameAs(refused);
        }
    }
}
