package io.connpool.review;

import io.connpool.ConnectionFailedException;
import io.connpool.KeyedPool;
import io.connpool.Lease;
import io.connpool.ManagedPool;
import io.connpool.Pool;
import io.connpool.PoolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Credentials hidden in corners of a factory's failure: deep causes, suppressed ones, toString, odd passwords. */
@Timeout(60)
public class SecretsInNestedFailuresTest {

    static final String SECRET = "hunter2xyz";

    final Ledger ledger = new Ledger();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, err), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    static final class TeeStream extends java.io.OutputStream {
        final PrintStream a;
        final ByteArrayOutputStream b;

        TeeStream(PrintStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString() + "\n" + t;
    }

    /** Makes the pool dial once with the given failure; checks caller's exception, lastError and logs, all together. */
    void assertHidden(Supplier<Throwable> failure) {
        ledger.onConnect = k -> Ledger.sneaky(failure.get());
        Pool<Conn> pool = Pool.builder(ledger).name("secrets").maxSize(1).acquireTimeout(Duration.ofSeconds(2))
                .connectBackoff(Duration.ofMillis(5), Duration.ofMillis(5)).build();
        java.util.List<String> leaks = new java.util.ArrayList<>();
        try {
            Throwable thrown = catchThrowable(pool::acquire);
            assertThat(thrown).isInstanceOf(PoolException.class);
            if (everything(thrown).contains(SECRET)) {
                leaks.add("acquire() caller's exception (printStackTrace): " + excerpt(everything(thrown)));
            }
            if (String.valueOf(pool.stats().lastError()).contains(SECRET)) {
                leaks.add("stats().lastError: " + pool.stats().lastError());
            }
            Throwable fresh = catchThrowable(pool::acquireFresh);
            if (fresh != null && everything(fresh).contains(SECRET)) {
                leaks.add("acquireFresh() caller's exception: " + excerpt(everything(fresh)));
            }
        } finally {
            ledger.onConnect = k -> { };
            pool.close();
        }
        System.err.flush();
        String logs = err.toString(StandardCharsets.UTF_8);
        if (logs.contains(SECRET)) {
            leaks.add("WARN log: " + excerpt(logs));
        }
        assertThat(leaks).as("places the secret showed").isEmpty();
    }

    static String excerpt(String text) {
        int at = text.indexOf(SECRET);
        String line = text.substring(Math.max(0, text.lastIndexOf('\n', at) + 1));
        int end = line.indexOf('\n');
        return (end < 0 ? line : line.substring(0, end)).trim();
    }

    @Test
    void aCredentialFortyCausesDeepIsHidden() {
        assertHidden(() -> {
            Throwable t = new IOException("connect to redis://admin:" + SECRET + "@db:6379 refused");
            for (int i = 0; i < 40; i++) {
                t = new RuntimeException("wrap " + i, t);
            }
            return t;
        });
    }

    @Test
    void aCredentialInASuppressedExceptionIsHidden() {
        assertHidden(() -> {
            IOException top = new IOException("all addresses failed");
            top.addSuppressed(new IOException("redis://admin:" + SECRET + "@db1:6379 refused"));
            return top;
        });
    }

    @Test
    void aCredentialOnlyInToStringIsHidden() {
        assertHidden(() -> new IOException("connect failed") {
            @Override
            public String toString() {
                return "DriverException[url=redis://admin:" + SECRET + "@db:6379]";
            }
        });
    }

    @Test
    void aCredentialOnlyInGetLocalizedMessageIsHidden() {
        assertHidden(() -> new IOException("connect failed") {
            @Override
            public String getLocalizedMessage() {
                return "Verbindung zu redis://admin:" + SECRET + "@db:6379 abgelehnt";
            }
        });
    }

    @Test
    void aBase64PasswordWithASlashInAUriIsHidden() {
        assertHidden(() -> new IOException("cannot reach redis://admin:ab/" + SECRET + "+Q==@db:6379"));
    }

    @Test
    void aPasswordWithASlashOutsideAUriIsHidden() {
        assertHidden(() -> new IOException("login admin:ab/" + SECRET + "@db:6379 rejected"));
    }

    @Test
    void aFailureWhoseGetMessageThrowsAnErrorStillFailsOnlyItsCallerAndThePoolRecovers() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        ledger.onConnect = k -> {
            if (failing.get()) {
                throw new IOException() {
                    @Override
                    public String getMessage() {
                        throw new AssertionError("message of redis://admin:" + SECRET + "@db:6379");
                    }
                };
            }
        };
        Pool<Conn> pool = Pool.builder(ledger).name("bad-message").maxSize(1).acquireTimeout(Duration.ofSeconds(2))
                .connectBackoff(Duration.ofMillis(5), Duration.ofMillis(5)).build();
        java.util.List<String> problems = new java.util.ArrayList<>();
        try {
            long t0 = System.nanoTime();
            Throwable thrown = catchThrowable(pool::acquire);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!(thrown instanceof PoolException)) {
                problems.add("acquire() threw " + thrown.getClass().getName() + " after " + ms + " ms: " + firstFrames(thrown));
            }
            Throwable statsFailure = catchThrowable(pool::stats);
            if (statsFailure != null) {
                problems.add("stats() threw " + statsFailure.getClass().getName() + ": " + firstFrames(statsFailure));
            }
            failing.set(false);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (Lease<Conn> l = pool.acquire(Duration.ofSeconds(1))) {
                    assertThat(l.connection()).isNotNull();
                }
            });
            Thread.sleep(200);
            Throwable statsLater = catchThrowable(pool::stats);
            if (statsLater != null) {
                problems.add("stats() still throws after the pool recovered: " + statsLater.getClass().getName());
            }
        } finally {
            pool.close();
        }
        ledger.assertAllClosedOnce();
        assertThat(problems).isEmpty();
    }

    static String firstFrames(Throwable t) {
        StringBuilder b = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0, n = 0; i < st.length && n < 4; i++) {
            if (st[i].getClassName().startsWith("io.connpool.internal")) {
                b.append(" at ").append(st[i]);
                n++;
            }
        }
        return b.toString();
    }

    @Test
    void aKeyWithCredentialsIsNotShownInATimeoutOrAFailure() {
        String key = "admin:" + SECRET + "@db:6379";
        ledger.onConnect = k -> {
            throw new IOException("refused");
        };
        KeyedPool<String, Conn> pool = KeyedPool.builder((io.connpool.KeyedConnectionFactory<String, Conn>) ledger)
                .name("keyed-secret").maxTotal(1).maxPerKey(1).acquireTimeout(Duration.ofMillis(300))
                .connectBackoff(Duration.ofMillis(5), Duration.ofMillis(5)).build();
        try {
            Throwable failed = catchThrowable(() -> pool.acquire(key));
            assertThat(failed).isNotNull();
            assertThat(everything(failed)).doesNotContain(SECRET);
            ledger.onConnect = k -> { };
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> pool.acquire(key, Duration.ofSeconds(1)).close());
            Lease<Conn> held = pool.acquire(key);
            Throwable timedOut = catchThrowable(() -> pool.acquire(key, Duration.ofMillis(100)));
            held.close();
            assertThat(timedOut).isNotNull();
            assertThat(everything(timedOut)).doesNotContain(SECRET);
            assertThat(String.valueOf(pool.stats(key))).doesNotContain(SECRET);
            assertThat(String.valueOf(((ManagedPool) pool).stats())).doesNotContain(SECRET);
        } finally {
            pool.close();
        }
        System.err.flush();
        assertThat(err.toString(StandardCharsets.UTF_8)).as("logs").doesNotContain(SECRET);
    }
}
