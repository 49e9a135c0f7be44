package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command-line syntax of faults. */
class FaultSpecTest {

  @Test
  void parse_everyFault() {
    assertEquals(new Fault.DelayFirstByte(Duration.ofMillis(500)), Fault.parse("delay:500ms"));
    assertEquals(new Fault.StallAfterBytes(65536, Duration.ofMillis(1500)),
        Fault.parse("stall:65536:1.5s"));
    assertEquals(new Fault.ResetAfterBytes(1000), Fault.parse("reset:1000"));
    assertEquals(Fault.Status.of(404), Fault.parse("status:404"));
    assertEquals(new Fault.Status(503, Duration.ofSeconds(120)), Fault.parse("status:503:2m"));
    assertEquals(new Fault.HtmlPage200(), Fault.parse("html"));
    assertEquals(new Fault.IgnoreRange(), Fault.parse("ignore-range"));
    assertEquals(new Fault.WrongContentRange(), Fault.parse("wrong-range"));
    assertEquals(new Fault.EtagChange(), Fault.parse("etag-change"));
    assertEquals(new Fault.ShortBody(10), Fault.parse("short:10"));
    assertEquals(new Fault.OverlongBody(10), Fault.parse("overlong:10"));
    assertEquals(new Fault.RedirectLoop(), Fault.parse("redirect-loop"));
  }

  @Test
  void parse_rejectsMalformedSpecsWithATypedError() {
    for (String spec : new String[] {"", "boom", "delay", "delay:5", "delay:-1s", "stall:1",
        "reset:x", "status:302", "status:503:soon", "html:1", "short:0"}) {
      OriginException error = assertThrows(OriginException.class, () -> Fault.parse(spec), spec);
      assertEquals(OriginException.Kind.FAULT_SPEC, error.kind(), spec);
    }
  }
}
