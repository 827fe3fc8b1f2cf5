package io.connpool.internal;

import io.connpool.Ticker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clock the hot path reads: the system ticker is replaced by a coarse clock that moves only when
 * ticked; any other ticker (a test's) is read on every use, so that a test's clock moves a pool the
 * moment it is advanced.
 */
class CoarseClockTest {

    private final AtomicLong source = new AtomicLong(1_000);

    @Test
    void aCoarseClockMovesOnlyWhenTicked() {
        CoarseClock clock = CoarseClock.manual(source::get);
        source.addAndGet(5_000);
        assertThat(clock.nanoTime()).as("before a tick").isEqualTo(1_000);
        clock.tick();
        assertThat(clock.nanoTime()).as("after a tick").isEqualTo(6_000);
    }

    @Test
    void theSystemTickerIsReadThroughTheSharedCoarseClock() {
        assertThat(CoarseClock.hotPath(Ticker.system())).isSameAs(CoarseClock.SYSTEM);
        assertThat(CoarseClock.slackNanos(CoarseClock.SYSTEM)).isEqualTo(CoarseClock.TICK_NANOS);
    }

    @Test
    void anyOtherTickerIsReadOnEveryUseWithNoSlack() {
        Ticker ticker = source::get;
        assertThat(CoarseClock.hotPath(ticker)).isSameAs(ticker);
        assertThat(CoarseClock.precise(ticker)).isSameAs(ticker);
        assertThat(CoarseClock.slackNanos(ticker)).isZero();
    }

    @Test
    void aCoarseClockGivenAsTheTickerIsTheHotPathsAndItsSourceThePreciseOne() {
        Ticker sourceTicker = source::get;
        CoarseClock clock = CoarseClock.manual(sourceTicker);
        assertThat(CoarseClock.hotPath(clock)).isSameAs(clock);
        assertThat(CoarseClock.precise(clock)).isSameAs(sourceTicker);
    }

    @Test
    void theLeastRecentlyUsedOrderOfAKeyedPoolReadsATestsTickerOnEveryUse() {
        TotalCapacity total = new TotalCapacity(10, source::get, engine -> { });
        source.addAndGet(5_000_000_000L);
        assertThat(total.now()).isEqualTo(5_000_001_000L);
    }

    @Test
    void theSharedClockTicksWhilePoolsAreOpen() {
        Background.retain();
        try {
            long before = CoarseClock.SYSTEM.nanoTime();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> CoarseClock.SYSTEM.nanoTime() != before);
        } finally {
            Background.release();
        }
    }
}
