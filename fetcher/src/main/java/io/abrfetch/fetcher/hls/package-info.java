/**
 * HLS track peers on top of the downloader: {@link io.abrfetch.fetcher.hls.HlsSession} opens a
 * master (or a lone media) playlist and registers one peer per track (the video variant chosen by
 * the shared ABR controller, and the alternate audio rendition the variant names, and subtitles on request); each peer keeps
 * a look-ahead window of segments (init sections first, byte ranges, AES-128 decryption,
 * discontinuities, ABR switches at segment boundaries, live reloads) and hands them in order to a
 * {@link io.abrfetch.fetcher.hls.Track}, a {@link io.vertx.core.streams.ReadStream} of
 * {@link io.abrfetch.fetcher.hls.MediaSegment}s with backpressure.
 * {@link io.abrfetch.fetcher.hls.VariantDownload} downloads one whole VOD variant instead, many
 * segments in flight, and writes it in order to a stream or file; its state is confined to its
 * own context in the same way.
 *
 * <p><b>Threading rule.</b> A session's state, and the state of its tracks and peers, is confined
 * to the session's context: the event-loop context current when
 * {@link io.abrfetch.fetcher.hls.HlsSession#open} runs on one, else a new event-loop context. The
 * downloader's callbacks hop onto it. Public methods of {@code HlsSession} and {@code Track} may be
 * called from any thread: they hop onto the session's context. Track handlers, end and exception
 * handlers and session listeners run on that context and must not block it. AES-128 decryption of
 * segments larger than {@link io.abrfetch.fetcher.hls.HlsSessionOptions#decryptOffLoopThresholdBytes()}
 * runs on a worker thread. The one exception is the abandon hook
 * ({@link io.abrfetch.fetcher.Peer#onLoadSlow}), which the downloader calls on its own event loop:
 * it reads only a volatile snapshot of the fetch in flight and the buffer, and the thread-safe
 * {@link io.abrfetch.abr.AbrController}.
 */
package io.abrfetch.fetcher.hls;
