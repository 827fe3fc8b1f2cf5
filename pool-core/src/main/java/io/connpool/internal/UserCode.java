package io.connpool.internal;

import io.connpool.ConnectionFactory;
import io.connpool.ConnectionInfo;
import io.connpool.DescribedFactory;
import io.connpool.PoolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The one way the pool calls code it does not own: a factory's {@code connect}, {@code validate},
 * {@code close} and {@code settings}, a caller's filter, the broken-connection rule, an executor handed in, and (through
 * {@link GuardedListener}) listeners. Callbacks and batch functions are the caller's own work on the
 * caller's thread: {@link Engine} catches every Throwable they throw, accounts for the connection,
 * then gives the caller the failure.
 *
 * <p>The rules, for every call made here:
 * <ul>
 *   <li><b>Every Throwable is caught</b> (a checked exception a listener throws sneakily, an
 *   {@code Error}), and the pool decides what it means: a failed dial, an invalid connection, a
 *   broken one, a logged listener failure. Nothing user code throws can leave a connection
 *   unaccounted for or end a pool thread.</li>
 *   <li><b>Interrupts stay with their thread's owner.</b> On a caller's thread the interrupt status
 *   is the caller's and is kept (an {@code InterruptedException} the code threw sets it again). On a
 *   pool thread ({@link Background}) it is cleared, so it cannot fail the thread's next task.</li>
 *   <li><b>Code runs on its own caller's thread</b>: a filter is only ever tested by the caller that
 *   passed it (never by a thread handing connections to waiters), so its failure or hang reaches
 *   nobody else.</li>
 *   <li><b>The pool never waits on user code without a bound.</b> A validation the pool waits for
 *   runs on a worker thread and is given up after {@code validationTimeout} (on borrow, after the
 *   caller's remaining acquire time if that is shorter): the connection then counts as invalid and is
 *   closed. Closing a connection runs on a worker thread; see {@link Engine} for how long its room
 *   is held.</li>
 * </ul>
 */
final class UserCode {

    private static final Logger log = LoggerFactory.getLogger(UserCode.class);

    private UserCode() {
    }

    /** Dials; any failure, {@code null} included, is thrown for the caller to record. */
    static <C> C connect(ConnectionFactory<C> factory) throws Throwable {
        try {
            C connection = factory.connect();
            if (connection == null) {
                throw new NullPointerException("ConnectionFactory.connect() returned null");
            }
            return connection;
        } catch (Throwable e) {
            keepInterrupt(e);
            throw e;
        } finally {
            clearOnPoolThread();
        }
    }

    /** Validates; a validation that throws anything counts as failed. Run on a worker thread by the engine. */
    static <C> boolean isValid(ConnectionFactory<C> factory, C connection, String poolName, long id) {
        try {
            return factory.validate(connection);
        } catch (Throwable e) {
            log.debug("Validation of connection {} of pool '{}' threw; the connection counts as invalid", id, poolName,
                    CredentialsMaskedException.mask(e));
            return false;
        } finally {
            clearOnPoolThread();
        }
    }

    /** Closes a connection; returns what the close threw, or null. Runs on a pool thread. */
    static <C> Throwable close(ConnectionFactory<C> factory, C connection) {
        try {
            factory.close(connection);
            return null;
        } catch (Throwable e) {
            return e;
        } finally {
            clearOnPoolThread();
        }
    }

    /**
     * Tests a connection against a caller's filter, on that caller's thread. What the filter throws
     * goes to that caller as it is (a checked exception thrown sneakily, wrapped).
     */
    static boolean test(Predicate<ConnectionInfo> filter, ConnectionInfo connection, String poolName) {
        try {
            return filter.test(connection);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            keepInterrupt(e);
            throw new PoolException("The filter passed to acquire on pool '" + poolName + "' threw " + e, e);
        }
    }

    /** Asks the broken-connection rule; a rule that throws anything counts the connection broken. */
    static boolean isBroken(Predicate<Throwable> rule, Throwable error, String poolName) {
        try {
            return rule.test(error);
        } catch (Throwable e) {
            keepInterrupt(e);
            log.warn("The broken-connection rule of pool '{}' threw; treating the connection as broken", poolName,
                    CredentialsMaskedException.mask(e));
            return true;
        }
    }

    /** Hands a task to an executor the caller gave us; false if it threw anything instead. */
    static boolean execute(Executor executor, Runnable task, String poolName) {
        try {
            executor.execute(task);
            return true;
        } catch (Throwable e) {
            keepInterrupt(e);
            log.debug("The executor given to a batch on pool '{}' refused a task; the caller's thread does its work",
                    poolName, CredentialsMaskedException.mask(e));
            return false;
        }
    }

    /**
     * A factory's description of its own settings, for display; one that throws anything is shown as
     * describing nothing (a description must never fail the endpoint that asked for it).
     */
    static Map<String, Object> settings(Object factory, String poolName) {
        if (!(factory instanceof DescribedFactory)) {
            return Map.of();
        }
        try {
            Map<String, ?> settings = ((DescribedFactory) factory).settings();
            return settings == null ? Map.of() : new LinkedHashMap<>(settings);
        } catch (Throwable e) {
            keepInterrupt(e);
            log.debug("The connection factory of pool '{}' threw from settings(); its settings are not shown", poolName,
                    CredentialsMaskedException.mask(e));
            return Map.of();
        }
    }

    /**
     * A listener threw, for the {@code nth} time: the interrupt rules applied, and logged. A listener
     * that throws on every checkout would otherwise write a stack trace per checkout, so only its 1st,
     * 2nd, 4th, 8th... throw is a warning (saying how many there were); the rest are logged at debug.
     */
    static void listenerFailed(Object listener, String event, String poolName, Throwable e, long nth) {
        keepInterrupt(e);
        clearOnPoolThread();
        if (nth == 1) {
            log.warn("Listener {} of pool '{}' threw from {}; the pool carries on (if it throws again, its 2nd, 4th, 8th... "
                    + "throw is logged as a warning, the others at debug)", listener, poolName, event,
                    CredentialsMaskedException.mask(e));
        } else if (Long.bitCount(nth) == 1) {
            log.warn("Listener {} of pool '{}' has thrown {} times, this time from {}; the pool carries on", listener,
                    poolName, nth, event, CredentialsMaskedException.mask(e));
        } else if (log.isDebugEnabled()) {
            log.debug("Listener {} of pool '{}' has thrown {} times, this time from {}; the pool carries on", listener,
                    poolName, nth, event, CredentialsMaskedException.mask(e));
        }
    }

    /** The code swallowed its thread's interrupt by throwing InterruptedException: a caller's is set again. */
    private static void keepInterrupt(Throwable e) {
        if (e instanceof InterruptedException && !Background.onPoolThread()) {
            Thread.currentThread().interrupt();
        }
    }

    private static void clearOnPoolThread() {
        if (Background.onPoolThread()) {
            Thread.interrupted();
        }
    }
}
