package io.connpool.autoconfigure;

import io.connpool.PoolException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Keys under {@code connpool} that nothing binds: each would be ignored, its default used in its place.
 * Start-up stops instead, naming every such key, its pool, the nearest valid property and where the
 * key was set. The values are never shown: a misspelt {@code pasword} holds a secret.
 */
public class UnknownPropertiesException extends PoolException {

    private final List<UnknownProperty> properties;

    public UnknownPropertiesException(List<UnknownProperty> properties) {
        super(properties.stream().map(UnknownProperty::describe).collect(Collectors.joining("; ")));
        this.properties = List.copyOf(properties);
    }

    /** Every unknown key, in the order of their names. */
    public List<UnknownProperty> properties() {
        return properties;
    }

    /**
     * One unknown key.
     *
     * @param key        the key as written, e.g. {@code connpool.pools.orders.max-sizee}
     * @param pool       the pool it was meant for, or {@code null} (top level and {@code connpool.defaults})
     * @param suggestion the nearest valid key in full, or {@code null} when none is near
     * @param hint       what to do, for the person reading the report, e.g. {@code did you mean 'max-size'?}
     * @param origin     where it was set ({@code class path resource [application.yml] - 7:9}), or {@code null}
     */
    public record UnknownProperty(String key, String pool, String suggestion, String hint, String origin) {

        /** "Unknown property 'connpool.pools.orders.max-sizee' (pool 'orders'); did you mean 'max-size'?" */
        public String describe() {
            String scope = pool != null ? " (pool '" + pool + "')"
                    : key.startsWith(UnknownProperties.DEFAULTS + ".") ? " (the defaults of every pool)" : "";
            return "Unknown property '" + key + "'" + scope + "; " + hint + (origin == null ? "" : " [set in " + origin + "]");
        }
    }
}
