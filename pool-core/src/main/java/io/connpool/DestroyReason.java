package io.connpool;

/** Why the pool closed a connection. */
public enum DestroyReason {
    /** Its user said it is broken: {@code Lease.invalidate()}, or a callback threw a "broken" exception. */
    BROKEN,
    /** Validation on borrow or keepalive found it dead. */
    INVALID,
    /** It reached its maximum lifetime. */
    EXPIRED,
    /** It sat idle longer than the idle timeout, or above the idle limit. */
    IDLE,
    /** {@code evictIdle()}, or room was made for another connection. */
    EVICTED,
    /** {@code drain()}. */
    DRAINED,
    /** {@code resize()} shrank the pool below its size. */
    SHRUNK,
    /** The pool was closed. */
    POOL_CLOSED
}
