package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Records fetch events (delivered on the event loop) for assertions from the test thread. */
final class EventRecorder implements Consumer<FetchEvent> {

  private final List<FetchEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void accept(FetchEvent event) {
    events.add(event);
  }

  List<FetchEvent> all() {
    return List.copyOf(events);
  }

  List<FetchEvent> of(long requestId) {
    List<FetchEvent> out = new ArrayList<>();
    for (FetchEvent e : events) {
      if (e.requestId() == requestId) {
        out.add(e);
      }
    }
    return out;
  }

  <T extends FetchEvent> List<T> of(long requestId, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (FetchEvent e : events) {
      if (e.requestId() == requestId && type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  <T extends FetchEvent> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (FetchEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** The single event of {@code type} for {@code requestId}; fails when there are 0 or several. */
  <T extends FetchEvent> T only(long requestId, Class<T> type) {
    List<T> found = of(requestId, type);
    if (found.size() != 1) {
      fail("expected exactly one " + type.getSimpleName() + " for request " + requestId
          + ", got " + found + " in " + of(requestId));
    }
    return found.get(0);
  }

  /** The endings (Completed, Failed, Cancelled) recorded for {@code requestId}. */
  List<FetchEvent> endings(long requestId) {
    List<FetchEvent> out = new ArrayList<>();
    for (FetchEvent e : of(requestId)) {
      if (e instanceof FetchEvent.Completed || e instanceof FetchEvent.Failed
          || e instanceof FetchEvent.Cancelled) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits until an event of {@code type} matching {@code condition} is recorded. */
  <T extends FetchEvent> T await(Class<T> type, Predicate<T> condition, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      for (FetchEvent e : events) {
        if (type.isInstance(e) && condition.test(type.cast(e))) {
          return type.cast(e);
        }
      }
      Thread.sleep(5);
    }
    fail("no " + type.getSimpleName() + " matching within " + timeoutMs + " ms; events: " + events);
    return null;
  }
}
