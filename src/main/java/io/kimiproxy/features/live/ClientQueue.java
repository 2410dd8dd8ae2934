package io.kimiproxy.features.live;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The events waiting for one WebSocket client that reads slower than they come. Bounded: a newer
 * snapshot-like event replaces the queued one with the same key (in place), and when the queue is
 * full the oldest event is dropped and counted. Confined to the hub's context.
 */
final class ClientQueue {
  /** A queue position whose message a newer one with the same key may replace. */
  private static final class Slot {
    LiveMessage message;

    Slot(LiveMessage message) {
      this.message = message;
    }
  }

  private final int capacity;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final Map<String, Slot> byKey = new HashMap<>();
  private long dropped;
  private long coalesced;

  ClientQueue(int capacity) {
    this.capacity = capacity;
  }

  void offer(LiveMessage message) {
    if (message.key() != null) {
      Slot queued = byKey.get(message.key());
      if (queued != null) {
        queued.message = message;
        coalesced++;
        return;
      }
    }
    if (slots.size() >= capacity) {
      forget(slots.poll());
      dropped++;
    }
    Slot slot = new Slot(message);
    slots.add(slot);
    if (message.key() != null) byKey.put(message.key(), slot);
  }

  /** The oldest waiting message, or null. */
  LiveMessage poll() {
    Slot slot = slots.poll();
    if (slot == null) return null;
    forget(slot);
    return slot.message;
  }

  private void forget(Slot slot) {
    if (slot.message.key() != null) byKey.remove(slot.message.key());
  }

  int size() {
    return slots.size();
  }

  long dropped() {
    return dropped;
  }

  long coalesced() {
    return coalesced;
  }
}
