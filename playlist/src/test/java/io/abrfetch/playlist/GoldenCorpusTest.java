package io.abrfetch.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus playlist parses to exactly the model written in the JSON file next to it (or fails
 * with exactly the kind and line written there).
 *
 * <p>The expected files were reviewed by hand field by field. {@code -Dgolden.writeMissing=true}
 * writes a draft for a playlist that has no JSON yet (never overwrites one); review it before
 * committing.
 */
class GoldenCorpusTest {

  private final PlaylistParser parser = new PlaylistParser();

  static List<Corpus.Entry> corpus() {
    return Corpus.entries();
  }

  @Test
  void corpus_hasAtLeastFortyPlaylists_eachWithExpectedJson() {
    List<Corpus.Entry> entries = Corpus.entries();
    assertTrue(entries.size() >= 40, "corpus size " + entries.size());
    for (Corpus.Entry entry : entries) {
      Path json = Corpus.directory().resolve(entry.name() + ".json");
      assertTrue(Files.exists(json) || Boolean.getBoolean("golden.writeMissing"),
          "missing expected model " + json);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void parsesToExpectedModel(Corpus.Entry entry) throws IOException {
    Path jsonFile = Corpus.directory().resolve(entry.name() + ".json");
    JsonNode expected = Files.exists(jsonFile) ? ModelJson.MAPPER.readTree(jsonFile.toFile()) : null;
    URI uri = expected != null && expected.has("uri")
        ? URI.create(expected.get("uri").asText()) : Corpus.defaultUri(entry.name());
    ObjectNode actual;
    try {
      actual = ModelJson.of(parser.parse(uri, entry.bytes()));
    } catch (PlaylistException e) {
      actual = ModelJson.error(uri, e);
    }
    if (expected == null) {
      if (!Boolean.getBoolean("golden.writeMissing")) {
        fail("no expected model for " + entry.name());
      }
      // draft for review only; the sources are under src/test/resources
      Path source = Path.of("src/test/resources/corpus", entry.name() + ".json");
      Files.writeString(source,
          ModelJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
      return;
    }
    assertEquals(expected.toPrettyString(), actual.toPrettyString(), entry.name());
  }
}
