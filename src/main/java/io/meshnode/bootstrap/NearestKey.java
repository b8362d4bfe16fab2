package io.meshnode.bootstrap;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The known key closest to a misspelt one, by edit distance (insertions, deletions, substitutions and transpositions
 * of adjacent characters each count one). A key is offered only when it is close: at most one edit per three
 * characters of the misspelt key, and always one; otherwise there is no suggestion.
 */
final class NearestKey {

  /** Characters of the misspelt key per edit allowed. */
  private static final int CHARACTERS_PER_EDIT = 3;

  private NearestKey() {
  }

  /** The closest of {@code known} to {@code unknown}, ties broken alphabetically; empty when none is close. */
  static Optional<String> among(String unknown, Collection<String> known) {
    int allowed = Math.max(1, unknown.length() / CHARACTERS_PER_EDIT);
    return known.stream()
      .filter(candidate -> distance(unknown, candidate) <= allowed)
      .min(Comparator.<String>comparingInt(candidate -> distance(unknown, candidate))
        .thenComparing(Comparator.naturalOrder()));
  }

  /** The optimal-string-alignment distance between {@code a} and {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
