package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrPolicy;
import io.abrfetch.fetcher.hls.HlsSessionOptions;
import io.abrfetch.player.HeadlessPlayerOptions;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * One "open a session" request, read from its JSON body against the deployment's defaults.
 *
 * <pre>
 * {"url": "https://cdn.example/master.m3u8",   required, absolute http(s)
 *  "policy": "bola",                           ABR policy of this session (default: abr.policy)
 *  "targetBufferMs": 20000,                    look-ahead (default: hls.targetBufferMs)
 *  "audio": false,                             alternate audio on/off (default: hls.audio)
 *  "audioLanguage": "fr",                      preferred audio language (default: hls...)
 *  "initialVariantIndex": 0,                   first variant, -1 = by estimate (default: hls...)
 *  "maxPlayDurationMs": 60000,                 stop after this much media (default: player...)
 *  "output": "match.ts"}                       file in sessions.outputDirectory (default: none)
 * </pre>
 *
 * @param url the playlist
 * @param policy the ABR policy name
 * @param options the player options, session id included
 * @param output the output file name, or null to discard the media
 */
record OpenRequest(String url, String policy, HeadlessPlayerOptions options, String output) {

  /** A plain file name: no directory part, no leading dot. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * Reads {@code body}.
   *
   * @param sessionId the id the session will have
   * @throws ServeConfigException naming the bad field (a 400)
   */
  static OpenRequest parse(JsonObject body, ServeConfig config, String sessionId) {
    JsonConfigReader r = JsonConfigReader.root(body);
    String url = r.requiredString("url");
    String policy = r.oneOf("policy", AbrPolicy.NAMES, config.abr().policy());
    HlsSessionOptions base = config.hls();
    long targetBufferUs = r.longAtLeast("targetBufferMs", 1, base.targetBufferUs() / 1_000)
        * 1_000;
    boolean audio = r.bool("audio", base.audioEnabled());
    String audioLanguage = r.string("audioLanguage", base.audioLanguage());
    int initialVariantIndex = r.intAtLeast("initialVariantIndex", -1,
        base.initialVariantIndex());
    long maxPlayDurationUs = r.longAtLeast("maxPlayDurationMs", 0,
        config.player().maxPlayDurationUs() / 1_000) * 1_000;
    String output = r.string("output", null);
    if (output != null) {
      if (config.sessions().outputDirectory() == null) {
        throw r.error("output", "not allowed: the deployment sets no sessions.outputDirectory");
      }
      if (!FILE_NAME.matcher(output).matches()) {
        throw r.error("output", "expected a plain file name (letters, digits, '.', '_', '-';"
            + " no directory, no leading '.'), got " + JsonConfigReader.describe(output));
      }
    }
    r.finish();
    HlsSessionOptions session = base.toBuilder()
        .sessionId(sessionId)
        .targetBufferUs(targetBufferUs)
        .audioEnabled(audio)
        .audioLanguage(audioLanguage)
        .initialVariantIndex(initialVariantIndex)
        .build();
    HeadlessPlayerOptions options = HeadlessPlayerOptions.builder()
        .session(session)
        .clock(config.player().clock())
        .maxPlayDurationUs(maxPlayDurationUs)
        .statusIntervalMs(config.player().statusIntervalMs())
        .build();
    return new OpenRequest(url, policy, options, output);
  }
}
