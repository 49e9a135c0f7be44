package io.abrfetch.playlist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to every corpus playlist (truncations, byte flips, line shuffles and a few
 * targeted edits) must give a valid model or a {@link PlaylistException}, never another exception.
 */
class MutationTest {

  private static final long SEED = 0x5eed_2026L;
  private static final int MUTATIONS_PER_KIND_PER_PLAYLIST = 20;

  enum Mutation {
    TRUNCATE,
    FLIP_BYTE,
    FLIP_BITS,
    SHUFFLE_LINES,
    SWAP_TWO_LINES,
    DELETE_LINE,
    DUPLICATE_LINE,
    HUGE_NUMBER,
    STRAY_QUOTE_OR_COMMA
  }

  private final PlaylistParser parser = new PlaylistParser();

  @Test
  void everyMutation_givesModelOrPlaylistException() {
    // -Dmutation.seed=N explores other damage; the default is pinned so failures reproduce
    Random random = new Random(Long.getLong("mutation.seed", SEED));
    List<Corpus.Entry> corpus = Corpus.entries();
    Map<Mutation, Integer> tried = new EnumMap<>(Mutation.class);
    Map<String, Integer> outcomes = new TreeMap<>();
    int total = 0;
    long startNanos = System.nanoTime();
    for (Corpus.Entry entry : corpus) {
      URI uri = Corpus.defaultUri(entry.name());
      for (Mutation mutation : Mutation.values()) {
        for (int i = 0; i < MUTATIONS_PER_KIND_PER_PLAYLIST; i++) {
          byte[] mutated = mutate(mutation, entry.bytes(), random);
          tried.merge(mutation, 1, Integer::sum);
          total++;
          String outcome;
          try {
            Playlist playlist = parser.parse(uri, mutated);
            ModelJson.of(playlist); // walks every field of the model
            outcome = "valid " + (playlist instanceof MasterPlaylist ? "master" : "media");
          } catch (PlaylistException e) {
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
            // the line checks should catch everything before the library; count what slips past
            outcome = e.kind().name() + (e.getMessage().contains("rejected by the m3u8 parser")
                ? " via library" : "");
          } catch (Throwable t) {
            fail(mutation + " #" + i + " of " + entry.name() + " threw " + t + " for input:\n"
                + new String(mutated, UTF_8), t);
            return;
          }
          outcomes.merge(outcome, 1, Integer::sum);
        }
      }
    }
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    System.out.printf("MutationTest: %d mutations of %d playlists in %d ms; tried %s; outcomes %s%n",
        total, corpus.size(), elapsedMs, tried, outcomes);
    assertEquals(corpus.size() * Mutation.values().length * MUTATIONS_PER_KIND_PER_PLAYLIST, total);
    // the mutations must reach both sides: some still parse, many are rejected in several ways
    assertTrue(outcomes.keySet().stream().filter(k -> !k.startsWith("valid")).count() >= 8, outcomes.toString());
    assertTrue(outcomes.getOrDefault("valid media", 0) > 0, outcomes.toString());
    assertTrue(outcomes.getOrDefault("valid master", 0) > 0, outcomes.toString());
    // every rejection came from our own line checks, none from the library's fallback path
    assertTrue(outcomes.keySet().stream().noneMatch(k -> k.endsWith("via library")), outcomes.toString());
  }

  private static byte[] mutate(Mutation mutation, byte[] original, Random random) {
    switch (mutation) {
      case TRUNCATE:
        return Arrays.copyOf(original, random.nextInt(original.length + 1));
      case FLIP_BYTE: {
        byte[] copy = original.clone();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && copy.length > 0; i++) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
      }
      case FLIP_BITS: {
        byte[] copy = original.clone();
        if (copy.length > 0) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
      }
      case SHUFFLE_LINES: {
        List<String> lines = lines(original);
        Collections.shuffle(lines.subList(Math.min(1, lines.size()), lines.size()), random);
        return join(lines);
      }
      case SWAP_TWO_LINES: {
        List<String> lines = lines(original);
        if (lines.size() > 1) {
          Collections.swap(lines, random.nextInt(lines.size()), random.nextInt(lines.size()));
        }
        return join(lines);
      }
      case DELETE_LINE: {
        List<String> lines = lines(original);
        if (!lines.isEmpty()) {
          lines.remove(random.nextInt(lines.size()));
        }
        return join(lines);
      }
      case DUPLICATE_LINE: {
        List<String> lines = lines(original);
        if (!lines.isEmpty()) {
          int index = random.nextInt(lines.size());
          lines.add(random.nextInt(lines.size() + 1), lines.get(index));
        }
        return join(lines);
      }
      case HUGE_NUMBER:
        return replaceRandomDigitRun(original, random,
            List.of("99999999999999999999999", "0", "-1", "1e308", "NaN", "0x7fffffffffffffff",
                "9223372036854775807", "2147483648", ".", ""));
      case STRAY_QUOTE_OR_COMMA: {
        String text = new String(original, UTF_8);
        if (text.isEmpty()) {
          return original;
        }
        int at = random.nextInt(text.length());
        String insert = List.of("\"", ",", "=", "@", ":", "\n", "\r", "#EXT-X-KEY:", "\uFEFF")
            .get(random.nextInt(9));
        return (text.substring(0, at) + insert + text.substring(at)).getBytes(UTF_8);
      }
      default:
        throw new AssertionError(mutation);
    }
  }

  private static byte[] replaceRandomDigitRun(byte[] original, Random random, List<String> replacements) {
    String text = new String(original, UTF_8);
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < text.length(); ) {
      if (Character.isDigit(text.charAt(i))) {
        int start = i;
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        runs.add(new int[] {start, i});
      } else {
        i++;
      }
    }
    if (runs.isEmpty()) {
      return original;
    }
    int[] run = runs.get(random.nextInt(runs.size()));
    String replacement = replacements.get(random.nextInt(replacements.size()));
    return (text.substring(0, run[0]) + replacement + text.substring(run[1])).getBytes(UTF_8);
  }

  private static List<String> lines(byte[] bytes) {
    return new ArrayList<>(Arrays.asList(new String(bytes, UTF_8).split("\n", -1)));
  }

  private static byte[] join(List<String> lines) {
    return String.join("\n", lines).getBytes(UTF_8);
  }
}
