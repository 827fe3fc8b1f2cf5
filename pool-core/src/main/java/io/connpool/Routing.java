package io.connpool;

/** How a {@link SharedPool} picks the connection for a call, among those with room for one more. */
public enum Routing {
    /** The next connection in turn (Spear's routing pool): even spread when calls cost the same. */
    ROUND_ROBIN,
    /** The connection with the fewest calls running: adapts when some calls or connections are slow. */
    LEAST_IN_FLIGHT,
    /**
     * Power of two choices: two connections picked at random, the one with fewer calls running wins.
     * Nearly as even as {@link #LEAST_IN_FLIGHT} without looking at every connection.
     */
    RANDOM
}
