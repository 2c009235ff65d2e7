package io.pcaplake.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What goes wrong with one flight of segments, by segment index (0-based, in stream order). Combine with
 * {@link #and}.
 *
 * <ul>
 *   <li>{@code drop}: the capture misses the segment (the peer still gets and ACKs it): a gap in the capture.</li>
 *   <li>{@code retransmit}: the segment is sent again, same bytes, after the flight and a retransmission timeout;
 *       a dropped and retransmitted segment leaves no gap.</li>
 *   <li>{@code duplicate}: the segment appears twice in a row (a capture duplicate).</li>
 *   <li>{@code conflict}: right after the segment, a copy with the same sequence range but different bytes (each
 *       inverted) is sent: an overlap with conflicting data; first-wins reassembly keeps the true bytes.</li>
 *   <li>{@code order}: emission order as a permutation of all segment indexes (empty: stream order), then
 *       {@code swaps} exchange positions pairwise.</li>
 * </ul>
 */
public record Impairment(Set<Integer> drop, Set<Integer> retransmit, Set<Integer> duplicate, Set<Integer> conflict,
                         List<Integer> order, List<Swap> swaps) {
  public static final Impairment NONE = new Impairment(Set.of(), Set.of(), Set.of(), Set.of(), List.of(), List.of());

  /** Exchange the emission positions of segments {@code a} and {@code b}. */
  public record Swap(int a, int b) { }

  public Impairment {
    drop = Set.copyOf(drop);
    retransmit = Set.copyOf(retransmit);
    duplicate = Set.copyOf(duplicate);
    conflict = Set.copyOf(conflict);
    order = List.copyOf(order);
    swaps = List.copyOf(swaps);
  }

  public static Impairment drop(int... segments) {
    return new Impairment(set(segments), Set.of(), Set.of(), Set.of(), List.of(), List.of());
  }

  public static Impairment retransmit(int... segments) {
    return new Impairment(Set.of(), set(segments), Set.of(), Set.of(), List.of(), List.of());
  }

  public static Impairment duplicate(int... segments) {
    return new Impairment(Set.of(), Set.of(), set(segments), Set.of(), List.of(), List.of());
  }

  public static Impairment conflict(int... segments) {
    return new Impairment(Set.of(), Set.of(), Set.of(), set(segments), List.of(), List.of());
  }

  public static Impairment swap(int a, int b) {
    return new Impairment(Set.of(), Set.of(), Set.of(), Set.of(), List.of(), List.of(new Swap(a, b)));
  }

  /** Emit segments in this order: a permutation of 0..n-1 for a flight of n segments. */
  public static Impairment order(int... permutation) {
    return new Impairment(Set.of(), Set.of(), Set.of(), Set.of(),
        java.util.Arrays.stream(permutation).boxed().toList(), List.of());
  }

  public Impairment and(Impairment o) {
    if (!order.isEmpty() && !o.order.isEmpty()) {
      throw new IllegalArgumentException("two explicit orders");
    }
    List<Swap> s = new ArrayList<>(swaps);
    s.addAll(o.swaps);
    return new Impairment(union(drop, o.drop), union(retransmit, o.retransmit), union(duplicate, o.duplicate),
        union(conflict, o.conflict), order.isEmpty() ? o.order : order, s);
  }

  /** Emission order for a flight of {@code n} segments. */
  int[] emissionOrder(int n) {
    int[] out = new int[n];
    if (order.isEmpty()) {
      for (int i = 0; i < n; i++) {
        out[i] = i;
      }
    } else {
      if (order.size() != n || new TreeSet<>(order).size() != n || order.stream().anyMatch(i -> i < 0 || i >= n)) {
        throw new IllegalArgumentException("order " + order + " is not a permutation of " + n + " segments");
      }
      for (int i = 0; i < n; i++) {
        out[i] = order.get(i);
      }
    }
    for (Swap sw : swaps) {
      int pa = indexOf(out, sw.a());
      int pb = indexOf(out, sw.b());
      out[pa] = sw.b();
      out[pb] = sw.a();
    }
    return out;
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalArgumentException("segment " + v + " not in flight of " + a.length);
  }

  private static Set<Integer> set(int... v) {
    return java.util.Arrays.stream(v).boxed().collect(java.util.stream.Collectors.toSet());
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }
}
