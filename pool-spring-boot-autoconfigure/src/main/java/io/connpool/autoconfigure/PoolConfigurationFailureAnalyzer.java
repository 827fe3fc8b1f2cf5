package io.connpool.autoconfigure;

import io.connpool.InvalidConfigException;
import io.connpool.WrongConnectionTypeException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import java.util.stream.Collectors;

/**
 * Reports bad connpool configuration at start-up: a bad value (which property, which value, what is
 * allowed), keys that nothing binds (each with the pool, the nearest valid key and where it was set), or
 * a typed {@code PoolTemplate} handle looked up at start-up for a type the pool's connections cannot be.
 */
class PoolConfigurationFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        UnknownPropertiesException unknown = findCause(failure, UnknownPropertiesException.class);
        if (unknown != null) {
            return unknownProperties(unknown);
        }
        InvalidConfigException invalid = findCause(failure, InvalidConfigException.class);
        if (invalid != null) {
            return invalidValue(invalid);
        }
        WrongConnectionTypeException wrongType = findCause(failure, WrongConnectionTypeException.class);
        return wrongType == null ? null : wrongType(wrongType);
    }

    private static FailureAnalysis wrongType(WrongConnectionTypeException e) {
        String entry = "connpool.pools" + (e.pool().contains(".") ? "[" + e.pool() + "]" : "." + e.pool());
        return new FailureAnalysis("A typed handle on a connpool pool asks for the wrong connection type: " + e.getMessage() + ".",
                "Ask PoolTemplate for " + (e.actual() == null ? "the pool's connection type" : e.actual().getName())
                        + " (or a supertype) where the handle is looked up; or, if the handle is right, give the pool a factory"
                        + " of " + e.expected().getName() + " (" + entry + ".factory, or the pool bean itself).", e);
    }

    private static FailureAnalysis unknownProperties(UnknownPropertiesException e) {
        int count = e.properties().size();
        String lines = e.properties().stream().map(p -> "  - " + p.describe()).collect(Collectors.joining("\n"));
        return new FailureAnalysis(
                "connpool does not know " + (count == 1 ? "this property" : "these " + count + " properties")
                        + ", and stops rather than ignore a setting that may be misspelt:\n\n" + lines,
                "Correct or remove " + (count == 1 ? "it" : "each of them") + ". A pool takes the keys of connpool.defaults.*"
                        + " (listed in the configuration metadata, so an IDE completes them); tags take any key.", e);
    }

    private static FailureAnalysis invalidValue(InvalidConfigException cause) {
        if (cause instanceof PoolConfigurationException) {
            PoolConfigurationException e = (PoolConfigurationException) cause;
            return new FailureAnalysis(
                    "A connpool pool is misconfigured: property '" + e.property() + "' has the value '" + e.value() + "'.",
                    "Set '" + e.property() + "' to " + e.allowed() + ".", cause);
        }
        return new FailureAnalysis("A connpool pool is misconfigured: " + cause.getMessage() + ".",
                "Fix the setting '" + cause.setting() + "' where the pool is built.", cause);
    }

    private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
