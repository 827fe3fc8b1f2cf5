package io.connpool;

/**
 * What a test's connection factory knows that a pool's stats cannot tell: how many connections it
 * opened are still open, and the misuse its connections saw. {@link PoolInvariants} holds every pool
 * that uses the factory to these figures after each test.
 *
 * <p>A connection sees a second holder only if the test marks its use (as {@link FakeConnection#enter()}
 * does); a pool cannot be caught lending a connection twice by code that never looks.
 */
public interface ConnectionLedger {

    /** Connections opened and not yet closed (a close that threw still counts as a close). */
    int open();

    /** Times a connection was closed again after its first close. */
    int closedTwice();

    /**
     * Times a connection had more holders at once than it allows: two for a connection leased
     * exclusively, more than {@code maxCallsPerConnection} for a shared one.
     */
    int overHeld();
}
