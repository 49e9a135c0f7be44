package io.abrfetch.player;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only list that stays within a fixed capacity by keeping every {@code stride}-th item
 * offered, doubling the stride whenever it fills up.
 *
 * <p>Memory is bounded by the capacity whatever the session's length, and what is kept stays
 * evenly spread over the whole history (not just the newest part): with items offered at a steady
 * rate, item {@code i} is kept exactly when {@code i % stride() == 0}. The most recent item is
 * always returned too, so a chart ends at the latest state: {@link #snapshot()} holds at most
 * {@code capacity + 1} items. Peaks that fall on dropped items are lost; that is the price of the
 * bound.
 *
 * <p>Not thread-safe: confined to its owner (the player's context, or a load-test viewer's).
 *
 * @param <T> the item type
 */
public final class DecimatingList<T> {
  private final int capacity;
  private final List<T> items;
  private final long[] offeredIndexes;
  private long offered;
  private long stride = 1;
  private T latest;
  private boolean latestKept;

  private DecimatingList(int capacity) {
    this.capacity = capacity;
    this.items = new ArrayList<>(Math.min(capacity, 1_024));
    this.offeredIndexes = new long[capacity];
  }

  /** An empty list keeping at most {@code capacity} items plus the latest; {@code capacity >= 2}. */
  public static <T> DecimatingList<T> create(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 2)");
    }
    return new DecimatingList<>(capacity);
  }

  /** Offers {@code item}; returns whether it was kept at the current stride. */
  public boolean add(T item) {
    if (item == null) {
      throw new NullPointerException("item");
    }
    long index = offered++;
    latest = item;
    latestKept = false;
    if (index % stride != 0) {
      return false;
    }
    if (items.size() == capacity) {
      compact();
      if (index % stride != 0) {
        return false;
      }
    }
    offeredIndexes[items.size()] = index;
    items.add(item);
    latestKept = true;
    return true;
  }

  /** Keeps the items at multiples of the doubled stride, in place. */
  private void compact() {
    stride *= 2;
    int kept = 0;
    for (int i = 0; i < items.size(); i++) {
      if (offeredIndexes[i] % stride == 0) {
        items.set(kept, items.get(i));
        offeredIndexes[kept] = offeredIndexes[i];
        kept++;
      }
    }
    items.subList(kept, items.size()).clear();
    Arrays.fill(offeredIndexes, kept, capacity, 0);
  }

  /** The kept items in offer order, then the latest item if it was not kept; a copy. */
  public List<T> snapshot() {
    List<T> copy = new ArrayList<>(items.size() + 1);
    copy.addAll(items);
    if (latest != null && !latestKept) {
      copy.add(latest);
    }
    return List.copyOf(copy);
  }

  /** Items offered so far, kept or not. */
  public long offered() {
    return offered;
  }

  /** Items kept at the current stride (the latest item excluded when it was not kept). */
  public int size() {
    return items.size();
  }

  /** The most items kept at one stride. */
  public int capacity() {
    return capacity;
  }

  /** One in how many offered items is kept now: 1, then doubling. */
  public long stride() {
    return stride;
  }
}
