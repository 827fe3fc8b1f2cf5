package io.connpool;

/** Where a pooled connection is in its life. */
public enum ConnectionState {
    /** In the pool, ready to be handed out. */
    IDLE,
    /** Handed out: held by a lease or running calls. */
    IN_USE,
    /** Held by the pool itself for a moment: being validated or closed. */
    RESERVED,
    /** A shared connection that takes no new call (broken, or past its lifetime); closed when its last call ends. */
    RETIRING,
    /** Out of the pool: closed or being closed. */
    CLOSED
}
