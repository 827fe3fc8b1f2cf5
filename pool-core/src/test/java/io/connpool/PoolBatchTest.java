package io.connpool;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolBatchTest extends PoolTestSupport {

    @Test
    void sendBatchSendsEveryMessageOverOneConnectionInOrder() {
        Pool<FakeConnection> pool = pool(builder());
        List<String> replies = pool.sendBatch(List.of("a", "b", "c"), (c, m) -> c.id + m);
        assertThat(replies).containsExactly("1a", "1b", "1c");
        assertThat(pool.stats().successfulOperations()).isEqualTo(3);
    }

    @Test
    void sendBatchStopsAtTheFirstFailureAndNamesItsIndex() {
        Pool<FakeConnection> pool = pool(builder());
        AtomicInteger sent = new AtomicInteger();
        assertThatThrownBy(() -> pool.sendBatch(List.of(1, 2, 3, 4), (c, m) -> {
            if (m == 3) {
                throw new IllegalArgumentException("bad message " + m);
            }
            return sent.incrementAndGet();
        })).isInstanceOfSatisfying(CallbackException.class, e -> assertThat(e.index()).isEqualTo(2))
                .hasMessageContaining("stopped at message 2 of 4");
        assertThat(sent).hasValue(2);
        assertThat(pool.stats()).extracting(PoolStats::successfulOperations, PoolStats::failedOperations, PoolStats::idle)
                .containsExactly(2L, 1L, 1);
    }

    @Test
    void sendBatchOnABrokenConnectionDestroysIt() {
        Pool<FakeConnection> pool = pool(builder());
        assertThatThrownBy(() -> pool.sendBatch(List.of(1), (c, m) -> {
            throw new IOException("reset");
        })).isInstanceOf(CallbackException.class);
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void sendBatchParallelKeepsFailuresWithTheirIndex() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        List<Integer> messages = IntStream.range(0, 100).boxed().toList();
        BatchResult<Integer> result = pool.sendBatchParallel(messages, (c, m) -> {
            c.enter();
            try {
                if (m % 10 == 0) {
                    throw new IOException("failed " + m);
                }
                return m * 2;
            } finally {
                c.exit();
            }
        });
        assertThat(result.failed()).extracting(BatchFailure::index).containsExactlyInAnyOrder(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(result.failed()).allSatisfy(f -> assertThat(f.error()).isInstanceOf(IOException.class));
        assertThat(result.successful()).hasSize(90).doesNotContain(0, 20).contains(2, 198);
        assertThat(result.successful()).isSorted();
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(4);
    }

    @Test
    void sendBatchParallelRunsAtMostMaxSizeAtOnceOnTheCallersExecutor() {
        Pool<FakeConnection> pool = pool(builder().maxSize(3));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            BatchResult<Integer> result = pool.sendBatchParallel(IntStream.range(0, 60).boxed().toList(), (c, m) -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(1);
                running.decrementAndGet();
                return m;
            }, executor);
            assertThat(result.allSucceeded()).isTrue();
            assertThat(result.successful()).hasSize(60);
        } finally {
            executor.shutdownNow();
        }
        assertThat(maxRunning).hasValueLessThanOrEqualTo(3);
    }

    @Test
    void emptyBatchesDoNotTouchThePool() {
        Pool<FakeConnection> pool = pool(builder());
        assertThat(pool.sendBatch(List.<String>of(), (c, m) -> m)).isEmpty();
        assertThat(pool.sendBatchParallel(List.<String>of(), (c, m) -> m).successful()).isEmpty();
        assertThat(factory.connectCalls).hasValue(0);
    }
}
