package io.connpool.samples.echo;

import io.connpool.PoolStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EchoDemoTest {

    @Test
    void demoRunsEndToEndAndRidesOutTheOutage() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PoolStats stats = EchoDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("Reply: hello, pool", "8 workers, 16000 operations", "0 failed",
                "Server stopped. A call now: ", "pool back at min-idle", "Reply: welcome back");
        assertThat(output).containsPattern("retries with back-off: circuit (OPEN|HALF_OPEN), last error java.net.ConnectException");
        assertThat(stats.successfulOperations()).isGreaterThanOrEqualTo(16_002);
        assertThat(stats.createFailures()).isPositive();
    }
}
