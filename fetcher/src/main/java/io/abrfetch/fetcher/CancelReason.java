package io.abrfetch.fetcher;

/** Why a request ended {@link FetchEvent.Cancelled}. */
public enum CancelReason {
  /** The caller cancelled it through its {@link FetchHandle}. */
  CALLER,
  /** Its peer's {@link PeerHandle} was closed. */
  PEER_CLOSED,
  /** The peer's abandon hook chose to give it up after it went slow. */
  ABANDONED,
  /** The {@link Downloader} was closed (directly, by undeploying its verticle, or by closing Vert.x). */
  DOWNLOADER_CLOSED
}
