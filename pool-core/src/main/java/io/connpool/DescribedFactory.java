package io.connpool;

import java.util.Map;

/**
 * A connection factory (plain or keyed) that tells its own settings: its address, its timeouts. A pool
 * whose factory implements it shows them after its own in {@link ManagedPool#settings()}, and so in
 * the actuator endpoint. A separate interface rather than a default method of the factories, so that
 * one class may be both a {@link ConnectionFactory} and a {@link KeyedConnectionFactory}.
 */
public interface DescribedFactory {

    /**
     * The settings by name, the same for every key. Leave credentials out: values named like secrets
     * are masked where they are shown (see {@link Secrets}), but a value under another name is shown
     * as it is.
     */
    Map<String, ?> settings();
}
