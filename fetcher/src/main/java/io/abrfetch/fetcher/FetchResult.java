package io.abrfetch.fetcher;

import io.vertx.core.buffer.Buffer;

/**
 * A completed fetch.
 *
 * @param requestId the id every event of this request carried
 * @param url the URL that served the last attempt (after redirects)
 * @param statusCode status of the last attempt (200 or 206; 416 for an empty object probed with
 *     {@link FetchRequest#rangeProbe()})
 * @param sizeBytes body bytes delivered to the sink, exactly once each
 * @param body the collected body for {@link BodySink.Collect}, null for {@link BodySink.Stream}
 * @param etag the object's ETag when the origin sent one, else null
 * @param attempts attempts made (1 when nothing went wrong)
 * @param resumes attempts that continued a partly received body
 * @param timeToFirstByteNanos from the first dispatch to the first response head
 * @param elapsedNanos from the first dispatch to completion
 */
public record FetchResult(long requestId, String url, int statusCode, long sizeBytes, Buffer body,
    String etag, int attempts, int resumes, long timeToFirstByteNanos, long elapsedNanos) {}
