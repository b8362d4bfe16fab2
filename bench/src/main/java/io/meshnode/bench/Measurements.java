package io.meshnode.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every pass of a scenario, by variant: under load ({@code --inflight}) and at 1 in flight. */
final class Measurements {

  private final Map<String, List<Sample>> loaded = new LinkedHashMap<>();
  private final Map<String, List<Sample>> single = new LinkedHashMap<>();

  void addLoaded(Sample sample) {
    loaded.computeIfAbsent(sample.variant(), k -> new ArrayList<>()).add(sample);
  }

  void addSingle(Sample sample) {
    single.computeIfAbsent(sample.variant(), k -> new ArrayList<>()).add(sample);
  }

  List<String> variants() {
    return List.copyOf(loaded.keySet());
  }

  List<Sample> loaded(String variant) {
    return loaded.getOrDefault(variant, List.of());
  }

  List<Sample> single(String variant) {
    return single.getOrDefault(variant, List.of());
  }
}
