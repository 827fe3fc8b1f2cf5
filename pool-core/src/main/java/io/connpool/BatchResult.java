package io.connpool;

import java.util.List;

/**
 * The outcome of {@code sendBatchParallel}: the results of the messages that succeeded, in message
 * order, and the failures with the index of their message.
 *
 * @param <R> the result type
 */
public record BatchResult<R>(List<R> successful, List<BatchFailure> failed) {

    public BatchResult {
        successful = List.copyOf(successful);
        failed = List.copyOf(failed);
    }

    /** True when every message succeeded. */
    public boolean allSucceeded() {
        return failed.isEmpty();
    }
}
