/**
 * Adaptive bitrate: bandwidth estimators, the shared {@link io.abrfetch.abr.AbrController}, and
 * pure {@link io.abrfetch.abr.AbrPolicy} decisions.
 *
 * <p>Threading: {@link io.abrfetch.abr.AbrController} is thread-safe (one internal lock, held for
 * short non-blocking work; listeners run after it is released). Policies, views, decisions and
 * all records are immutable and thread-safe. Estimators are not thread-safe: the controller calls
 * them under its lock. Nothing here knows Vert.x, HTTP or HLS syntax.
 */
package io.abrfetch.abr;
