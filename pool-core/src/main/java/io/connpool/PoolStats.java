package io.connpool;

import java.time.Instant;

/**
 * An immutable snapshot of a pool's figures. The counts ({@code total}, {@code idle}, {@code inUse},
 * {@code pending}) are read at one moment but not under a lock, so under load they may be off by the
 * few connections that moved while the snapshot was taken; the counters since start are exact.
 *
 * @param total                live connections (idle + in use + held by the pool for validation)
 * @param idle                 connections ready to be handed out
 * @param inUse                connections handed out
 * @param pending              callers waiting for a connection
 * @param maxSize              the cap on live connections, counting those being created
 * @param minIdle              the number of connections kept open in the background
 * @param created              connections opened since the pool started
 * @param destroyed            connections closed since the pool started
 * @param createFailures       failed attempts to open a connection
 * @param successfulOperations callbacks ({@code withConnection}, batch messages) that completed
 * @param failedOperations     callbacks that threw
 * @param timeouts             acquisitions that gave up waiting
 * @param inFlight             calls running now (for an exclusive pool, the same as {@code inUse})
 * @param creating             connections being opened now
 * @param leaks                leases reported as held past the leak-detection threshold
 * @param circuit              the state of the creation circuit breaker
 * @param lastError            the message of the last creation failure, or {@code null}
 * @param lastErrorAt          when it happened, or {@code null}
 */
public record PoolStats(int total, int idle, int inUse, int pending, int maxSize, int minIdle,
                        long created, long destroyed, long createFailures,
                        long successfulOperations, long failedOperations, long timeouts,
                        int inFlight, int creating, long leaks,
                        CircuitState circuit, String lastError, Instant lastErrorAt) {

    /** {@code inUse / maxSize}, from 0 to 1. */
    public double utilization() {
        return maxSize == 0 ? 0 : (double) inUse / maxSize;
    }
}
