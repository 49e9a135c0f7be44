package io.abrfetch.fetcher;

/**
 * How a range read of a {@link MultiRangeReader} ended: every byte was delivered to its handler and
 * its end handler was called.
 *
 * @param readId the read's id on the stream
 * @param offsetBytes the first byte read
 * @param bytesDelivered bytes delivered to the handler, in order; fewer than asked only when the
 *     object ends first
 * @param resumes how many times the read resumed on a reopened stream
 * @param checksummedMessages data messages whose CRC32C was verified
 */
public record RangeReadResult(
    long readId, long offsetBytes, long bytesDelivered, int resumes, long checksummedMessages) {}
