package io.connpool.internal;

import io.connpool.CircuitState;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    @Test
    void backOffDoublesUpToAHugeMaximumWithoutOverflowing() {
        CircuitBreaker circuit = new CircuitBreaker(2, Long.MAX_VALUE);
        long now = 0;
        // 2 ns doubled 62 times passes Long.MAX_VALUE: the delay must stop at the longest the pool keeps
        for (int failure = 1; failure <= 100; failure++) {
            circuit.onFailure(new IOException("refused"), now);
            long delay = circuit.nanosUntilRetry(now);
            assertThat(delay).as("delay after failure %d", failure).isBetween(0L, Saturating.FOREVER_NANOS);
            assertThat(circuit.isFailingFast(now)).isTrue();
            now += delay; // wraps past Long.MAX_VALUE: the clock is only ever read by subtraction
            assertThat(circuit.tryStartCreation(now)).as("probe after failure %d", failure).isTrue();
            assertThat(circuit.state()).isEqualTo(CircuitState.HALF_OPEN);
        }
    }
}
