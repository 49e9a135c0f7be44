package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ContentRangeTest {

  @Test
  void parses_boundedAndUnknownTotal() {
    assertEquals(new ContentRange(0, 99, 1000), ContentRange.parse("bytes 0-99/1000"));
    assertEquals(100, ContentRange.parse("bytes 0-99/1000").lengthBytes());
    assertEquals(new ContentRange(5, 9, -1), ContentRange.parse("bytes 5-9/*"));
  }

  @Test
  void rejects_malformedUnsatisfiedAndInconsistent() {
    assertNull(ContentRange.parse(null));
    assertNull(ContentRange.parse("bytes */1000"));
    assertNull(ContentRange.parse("items 0-9/10"));
    assertNull(ContentRange.parse("bytes 9-0/10"));
    assertNull(ContentRange.parse("bytes 0-10/10"), "last byte beyond the total");
    assertNull(ContentRange.parse("bytes a-b/c"));
  }
}
