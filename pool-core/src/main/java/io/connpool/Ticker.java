package io.connpool;

/**
 * The pool's source of time, in nanoseconds from an arbitrary origin. Tests give a pool a ticker they
 * advance by hand, so lifetimes, idle timeouts and back-off run without sleeping.
 */
@FunctionalInterface
public interface Ticker {

    long nanoTime();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
