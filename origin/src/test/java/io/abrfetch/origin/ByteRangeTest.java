package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** {@code Range} header evaluation against an object size. */
class ByteRangeTest {

  @Test
  void satisfiableForms() {
    assertEquals(new ByteRange.Part(0, 0), ByteRange.parse("bytes=0-0", 10));
    assertEquals(new ByteRange.Part(9, 9), ByteRange.parse("bytes=9-", 10));
    assertEquals(new ByteRange.Part(0, 9), ByteRange.parse("bytes=-100", 10));
    assertEquals(new ByteRange.Part(5, 9), ByteRange.parse("bytes=5-1000", 10));
    assertEquals(new ByteRange.Part(2, 3), ByteRange.parse("Bytes=2-3", 10));
  }

  @Test
  void unsatisfiable_startAtOrPastTheEnd_zeroSuffix_emptyObject() {
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=10-", 10));
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=10-20", 10));
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 10));
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=0-", 0));
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-5", 0));
  }

  @Test
  void ignored_absentMalformedOtherUnitOrSeveralRanges() {
    for (String header : new String[] {null, "", "bytes=", "bytes=-", "bytes=a-b", "bytes=3-2",
        "items=0-1", "bytes=0-1,3-4", "bytes=1", "bytes=99999999999999999999-"}) {
      assertInstanceOf(ByteRange.Whole.class, ByteRange.parse(header, 10), String.valueOf(header));
    }
  }
}
