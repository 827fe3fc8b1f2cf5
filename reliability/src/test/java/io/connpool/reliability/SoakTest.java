package io.connpool.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak run, short: 12 s, 8 threads, a fault every 1.5 to 3 s against a real redis-server. */
class SoakTest {

    @Test
    void shortSoakKeepsEveryInvariantAndRecoversFromEveryFault() throws Exception {
        Soak.Result result = Soak.run(Duration.ofSeconds(12), 8, 42);
        System.out.println("[figure] " + result);
        assertThat(result.violations()).as(result.toString()).isEmpty();
        assertThat(result.faults()).isNotEmpty();
        assertThat(result.recoveryMillis()).as("every fault recovered from").doesNotContain(-1L);
        assertThat(result.ledger().succeeded()).isPositive();
    }
}
