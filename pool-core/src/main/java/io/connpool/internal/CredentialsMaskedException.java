package io.connpool.internal;

import io.connpool.Secrets;

/**
 * Stands in for a factory's exception whose message (or a cause's) carried credentials, wherever the
 * pool passes the failure on: its logs and the cause of the caller's {@code ConnectionFailedException}.
 * It keeps the original's stack trace and names its type in the message
 * ({@code java.net.UnknownHostException: redis://******@db:6379}); only the user info is gone. A
 * failure without credentials is passed on as it is, type and all.
 */
final class CredentialsMaskedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Cause chains deeper than this are cut: a cycle made with initCause must not loop forever. */
    private static final int MAX_DEPTH = 32;

    private CredentialsMaskedException(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    /** {@code error} itself if no message of its cause chain carries user info, else a masked copy of the chain. */
    static Throwable mask(Throwable error) {
        return copy(error, 0);
    }

    /** Copies the chain down to its last message with user info; below it the originals are attached as they are. */
    private static Throwable copy(Throwable error, int depth) {
        if (error == null || depth >= MAX_DEPTH || !leaks(error, depth)) {
            return error;
        }
        String message = message(error);
        CredentialsMaskedException copy = new CredentialsMaskedException(
                error.getClass().getName() + (message == null ? "" : ": " + Secrets.redact(message)),
                copy(error.getCause(), depth + 1));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private static boolean leaks(Throwable error, int depth) {
        for (Throwable t = error; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            String message = message(t);
            if (message != null && !message.equals(Secrets.redact(message))) {
                return true;
            }
        }
        return false;
    }

    /** A user's exception may compute its message, and fail doing so: that must not stop the pool reporting it. */
    private static String message(Throwable error) {
        try {
            return error.getMessage();
        } catch (Exception e) {
            return null;
        }
    }
}
