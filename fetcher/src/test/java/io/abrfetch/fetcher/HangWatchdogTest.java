package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HangWatchdogTest {

  private static final long S = 1_000_000_000L;

  @Test
  void classify_progressIsAdvanced_noWorkIsIdle_workWithoutProgressIsStalled() {
    assertEquals(WatchdogTurn.ADVANCED, HangWatchdog.classify(1, 3));
    assertEquals(WatchdogTurn.ADVANCED, HangWatchdog.classify(1, 0));
    assertEquals(WatchdogTurn.IDLE, HangWatchdog.classify(0, 0));
    assertEquals(WatchdogTurn.STALLED, HangWatchdog.classify(0, 1));
  }

  @Test
  void fires_onlyWhenTheStalledStreakExceedsTheWindow() {
    HangWatchdog w = new HangWatchdog(60 * S, 0);
    assertEquals(HangWatchdog.NO_HANG, w.turn(1 * S, WatchdogTurn.ADVANCED));
    assertEquals(HangWatchdog.NO_HANG, w.turn(30 * S, WatchdogTurn.STALLED));
    assertEquals(HangWatchdog.NO_HANG, w.turn(61 * S, WatchdogTurn.STALLED), "exactly 60 s");
    assertEquals(61 * S + 1 - S, w.turn(61 * S + 1, WatchdogTurn.STALLED));
  }

  @Test
  void afterFiring_theStreakRestarts_soItDoesNotFireEveryTurn() {
    HangWatchdog w = new HangWatchdog(10 * S, 0);
    assertEquals(11 * S, w.turn(11 * S, WatchdogTurn.STALLED));
    assertEquals(HangWatchdog.NO_HANG, w.turn(12 * S, WatchdogTurn.STALLED));
    assertEquals(11 * S, w.turn(22 * S, WatchdogTurn.STALLED));
  }

  @Test
  void neverFires_whileIdle_evenForAnHour() {
    HangWatchdog w = new HangWatchdog(60 * S, 0);
    for (long t = 1; t <= 3600; t++) {
      assertEquals(HangWatchdog.NO_HANG, w.turn(t * S, WatchdogTurn.IDLE));
    }
    assertEquals(HangWatchdog.NO_HANG, w.turn(3601 * S, WatchdogTurn.STALLED),
        "idle time does not count towards a hang");
  }

  @Test
  void progress_resetsTheStreak() {
    HangWatchdog w = new HangWatchdog(60 * S, 0);
    w.turn(50 * S, WatchdogTurn.STALLED);
    w.turn(55 * S, WatchdogTurn.ADVANCED);
    assertEquals(HangWatchdog.NO_HANG, w.turn(115 * S, WatchdogTurn.STALLED),
        "60 s since the progress at 55 s, not 65 s since the streak began at 50 s");
    assertEquals(61 * S, w.turn(116 * S, WatchdogTurn.STALLED));
  }
}
