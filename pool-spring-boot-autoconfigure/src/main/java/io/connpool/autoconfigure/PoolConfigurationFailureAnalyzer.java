package io.connpool.autoconfigure;

import io.connpool.InvalidConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a bad pool setting at start-up: which property, which value, what is allowed. */
class PoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigException cause) {
        if (cause instanceof PoolConfigurationException) {
            PoolConfigurationException e = (PoolConfigurationException) cause;
            return new FailureAnalysis(
                    "A connpool pool is misconfigured: property '" + e.property() + "' has the value '" + e.value() + "'.",
                    "Set '" + e.property() + "' to " + e.allowed() + ".", cause);
        }
        return new FailureAnalysis("A connpool pool is misconfigured: " + cause.getMessage() + ".",
                "Fix the setting '" + cause.setting() + "' where the pool is built.", cause);
    }
}
