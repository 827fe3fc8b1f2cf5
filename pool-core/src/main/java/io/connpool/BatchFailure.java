package io.connpool;

/**
 * One failed message of a parallel batch.
 *
 * @param index the message's position in the list given to the batch
 * @param error why it failed
 */
public record BatchFailure(int index, Throwable error) {
}
