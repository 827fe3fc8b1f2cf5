package io.connpool.internal;

import io.connpool.Ticker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The least-recently-used order of a keyed pool keeps time by a clock the pool ticks once a second
 * when the ticker is the system's (a clock read on every release costs a third of a keyed cycle), and
 * by the ticker itself otherwise (a test's clock must move the order the moment it is advanced).
 */
class TotalCapacityClockTest {

    @Test
    void theSystemClockIsReadOnlyWhenTicked() {
        TotalCapacity total = new TotalCapacity(10, Ticker.system(), engine -> { });
        assertThat(total.needsTicks()).as("Ticker.system() is recognised").isTrue();
        long before = total.now();
        while (System.nanoTime() == before) {
            Thread.onSpinWait(); // the system clock cannot be advanced by hand: wait for it to move
        }
        assertThat(total.now()).as("not read again before a tick").isEqualTo(before);
        total.tick();
        assertThat(total.now()).as("after a tick").isGreaterThan(before);
    }

    @Test
    void anyOtherTickerIsReadOnEveryRelease() {
        AtomicLong time = new AtomicLong(1_000);
        TotalCapacity total = new TotalCapacity(10, time::get, engine -> { });
        assertThat(total.needsTicks()).isFalse();
        time.addAndGet(5_000_000_000L);
        assertThat(total.now()).isEqualTo(5_000_001_000L);
    }
}
