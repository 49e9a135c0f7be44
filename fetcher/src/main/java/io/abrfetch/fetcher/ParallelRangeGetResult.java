package io.abrfetch.fetcher;

/**
 * A finished {@link ParallelRangeGet}: every byte of the object was written to the sink, in order,
 * once, and the sink acknowledged the last write.
 *
 * @param url the object's URL
 * @param sizeBytes bytes written to the sink
 * @param etag the ETag every range was pinned to, or null when the object had none
 * @param mode how the object was fetched
 * @param requests range or plain GET requests submitted to the downloader (a retry or resume
 *     inside one request is not counted; see that request's events)
 * @param peakBufferedBytes the most bytes held in the reorder window at once
 * @param elapsedNanos from the start to the sink's last acknowledgement, on the downloader's clock
 */
public record ParallelRangeGetResult(String url, long sizeBytes, String etag,
    ParallelRangeGet.Mode mode, int requests, long peakBufferedBytes, long elapsedNanos) {}
