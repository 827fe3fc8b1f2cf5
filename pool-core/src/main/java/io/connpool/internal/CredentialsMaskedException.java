package io.connpool.internal;

import io.connpool.Secrets;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Stands in for a factory's exception whose text (or that of an exception it holds) carried
 * credentials, wherever the pool passes the failure on: its logs and the cause of the caller's
 * {@code ConnectionFailedException}. It keeps the original's stack trace and shows its
 * {@code toString()} with the user info masked ({@code java.net.UnknownHostException:
 * redis://******@db:6379}). A failure whose whole tree (causes and suppressed exceptions) is clean
 * is passed on as it is, type and all.
 *
 * <p>The text looked at is {@code toString()}, what a stack trace prints: a subclass may override it,
 * or {@code getLocalizedMessage()}, to show more than {@code getMessage()}. A user's exception may
 * also throw from those: it is then shown by its class name.
 */
final class CredentialsMaskedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Exceptions held deeper than this are replaced by a note: a chain that long is not read anyway. */
    private static final int MAX_DEPTH = 32;

    private CredentialsMaskedException(String message, Throwable cause) {
        super(message, cause, true, true);
    }

    /** {@code error} itself if nothing in its tree carries user info, else a masked copy of the tree. */
    static Throwable mask(Throwable error) {
        if (error == null || !leaks(error, 0, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return error;
        }
        return copy(error, 0, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** What {@code error} prints as, with user info masked; never throws. */
    static String describe(Throwable error) {
        return error == null ? "null" : Secrets.redact(text(error));
    }

    private static boolean leaks(Throwable error, int depth, Set<Throwable> seen) {
        if (error == null || !seen.add(error)) {
            return false;
        }
        if (depth >= MAX_DEPTH) {
            return true; // not read: treated as leaking, so that the copy cuts it off
        }
        String text = text(error);
        if (!text.equals(Secrets.redact(text))) {
            return true;
        }
        for (Throwable suppressed : suppressed(error)) {
            if (leaks(suppressed, depth + 1, seen)) {
                return true;
            }
        }
        return leaks(cause(error), depth + 1, seen);
    }

    private static Throwable copy(Throwable error, int depth, Set<Throwable> seen) {
        if (error == null) {
            return null;
        }
        if (depth >= MAX_DEPTH || !seen.add(error)) {
            return new CredentialsMaskedException("(" + error.getClass().getName()
                    + (depth >= MAX_DEPTH ? " and the exceptions it holds: too deep to show)" : ": shown above)"), null);
        }
        CredentialsMaskedException copy = new CredentialsMaskedException(describe(error), copy(cause(error), depth + 1, seen));
        copy.setStackTrace(error.getStackTrace());
        for (Throwable suppressed : suppressed(error)) {
            copy.addSuppressed(copy(suppressed, depth + 1, seen));
        }
        return copy;
    }

    /** A user's exception may compute its text, and fail doing so: that must not stop the pool reporting it. */
    private static String text(Throwable error) {
        try {
            String text = error.toString();
            return text != null ? text : error.getClass().getName();
        } catch (Throwable e) {
            return error.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
        }
    }

    private static Throwable cause(Throwable error) {
        try {
            Throwable cause = error.getCause();
            return cause == error ? null : cause;
        } catch (Throwable e) {
            return null;
        }
    }

    private static Throwable[] suppressed(Throwable error) {
        try {
            return error.getSuppressed();
        } catch (Throwable e) {
            return new Throwable[0];
        }
    }
}
