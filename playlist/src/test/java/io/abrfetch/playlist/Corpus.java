package io.abrfetch.playlist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The golden playlists under {@code src/test/resources/corpus}. */
final class Corpus {
  private Corpus() {}

  /** One corpus playlist: its name (file name without {@code .m3u8}) and raw bytes. */
  record Entry(String name, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Path directory() {
    URL url = Corpus.class.getResource("/corpus");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Entry> entries() {
    try (Stream<Path> files = Files.list(directory())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".m3u8"))
          .sorted()
          .map(p -> {
            String file = p.getFileName().toString();
            try (InputStream in = Files.newInputStream(p)) {
              return new Entry(file.substring(0, file.length() - ".m3u8".length()), in.readAllBytes());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL each corpus playlist is parsed as coming from, unless its JSON says otherwise. */
  static URI defaultUri(String name) {
    return URI.create("https://cdn.example.com/hls/" + name + ".m3u8");
  }
}
