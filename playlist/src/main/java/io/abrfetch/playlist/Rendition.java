package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.List;

/**
 * An alternative rendition ({@code EXT-X-MEDIA}): an audio, video, subtitles or closed-captions
 * track that variants reference by group id.
 *
 * @param type the {@code TYPE}
 * @param groupId the {@code GROUP-ID}
 * @param name the {@code NAME}
 * @param language the {@code LANGUAGE}, null when absent
 * @param assocLanguage the {@code ASSOC-LANGUAGE}, null when absent
 * @param isDefault whether {@code DEFAULT=YES}
 * @param autoSelect whether {@code AUTOSELECT=YES}
 * @param forced whether {@code FORCED=YES}
 * @param instreamId the {@code INSTREAM-ID} of closed captions, null when absent
 * @param characteristics the {@code CHARACTERISTICS}, empty when absent
 * @param channels the {@code CHANNELS} attribute as written, null when absent
 * @param uri the resolved URI of the rendition's media playlist, null when the rendition is
 *     carried in the variant's own stream
 */
public record Rendition(
    Type type,
    String groupId,
    String name,
    String language,
    String assocLanguage,
    boolean isDefault,
    boolean autoSelect,
    boolean forced,
    String instreamId,
    List<String> characteristics,
    String channels,
    URI uri) {

  /** An {@code EXT-X-MEDIA TYPE}. */
  public enum Type {
    AUDIO,
    VIDEO,
    SUBTITLES,
    CLOSED_CAPTIONS
  }

  public Rendition {
    checkNotNull(type, "type");
    checkNotNull(groupId, "groupId");
    checkNotNull(name, "name");
    checkArgument(type != Type.CLOSED_CAPTIONS || uri == null,
        "uri: %s (expected: null for CLOSED-CAPTIONS)", uri);
    characteristics = List.copyOf(checkNotNull(characteristics, "characteristics"));
  }
}
