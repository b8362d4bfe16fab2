package io.meshnode.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scenario measured and which variants play which role.
 *
 * @param mesh  the variant through the mesh node
 * @param base  the direct baseline (for {@code pipeline} and {@code failfast}: the raw hop itself)
 * @param hop   the raw single-hop bus request/reply on the same Vert.x
 * @param p99From the variant whose loaded p99 the RESULT line reports (the mesh's, unless said otherwise)
 * @param notes lines printed under the table (targets, how a figure was obtained)
 */
record ScenarioReport(String name, String title, Measurements measurements, String mesh, String base, String hop,
                      String p99From, List<String> notes) {

  static ScenarioReport of(String name, String title, Measurements measurements, String mesh, String base,
                           String hop) {
    return new ScenarioReport(name, title, measurements, mesh, base, hop, mesh, new ArrayList<>());
  }

  ScenarioReport p99From(String variant) {
    return new ScenarioReport(name, title, measurements, mesh, base, hop, variant, notes);
  }

  ScenarioReport note(String line) {
    notes.add(line);
    return this;
  }
}
