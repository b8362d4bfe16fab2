package io.meshnode.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Reads a breaker's path out of its transitions, its {@code /health} samples and the load's answers. */
final class BreakerPath {

  private static final String OPEN = "open";
  private static final String HALF_OPEN = "half_open";
  private static final String CLOSED = "closed";

  private BreakerPath() {
  }

  /** The states entered, in order: {@code open>half_open>closed}; empty when it never moved. */
  static String of(List<BreakerWatch.Transition> transitions) {
    return String.join(">", transitions.stream().map(BreakerWatch.Transition::state).toList());
  }

  /** The states {@code /health} gave the breaker, repeats collapsed: {@code closed>open>closed}. */
  static String ofHealth(List<BreakerWatch.HealthSample> samples) {
    List<String> states = new ArrayList<>();
    for (BreakerWatch.HealthSample sample : samples) {
      if (states.isEmpty() || !states.get(states.size() - 1).equals(sample.breaker())) {
        states.add(sample.breaker());
      }
    }
    return String.join(">", states);
  }

  /**
   * True for closed → open → half_open → (open → half_open)* → closed: it opened, every half_open follows an open,
   * every close follows a half_open, and it ended closed.
   */
  static boolean isFullCycle(String path) {
    List<String> states = Arrays.asList(path.split(">"));
    if (states.isEmpty() || !OPEN.equals(states.get(0)) || !CLOSED.equals(states.get(states.size() - 1))) {
      return false;
    }
    for (int i = 1; i < states.size(); i++) {
      String previous = states.get(i - 1);
      boolean allowed = switch (states.get(i)) {
        case HALF_OPEN -> OPEN.equals(previous);
        case CLOSED -> HALF_OPEN.equals(previous);
        case OPEN -> HALF_OPEN.equals(previous) || CLOSED.equals(previous);
        default -> false;
      };
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * The successful attempts on the dependency that the breaker saw between its last half_open and the close that
   * followed: primary answers of its addresses answered after the half_open transition by requests sent before the
   * close. The breaker must not close with fewer than its success_threshold.
   */
  static int successesInLastHalfOpen(List<BreakerWatch.Transition> transitions, List<Answer> answers,
                                     Set<String> addresses) {
    long closedAt = -1;
    long halfOpenAt = -1;
    for (int i = transitions.size() - 1; i >= 0; i--) {
      BreakerWatch.Transition t = transitions.get(i);
      if (closedAt < 0 && CLOSED.equals(t.state())) {
        closedAt = t.at();
      } else if (closedAt >= 0 && HALF_OPEN.equals(t.state())) {
        halfOpenAt = t.at();
        break;
      }
    }
    if (halfOpenAt < 0) {
      return 0;
    }
    long from = halfOpenAt;
    long to = closedAt;
    return (int) answers.stream().filter(a -> a.kind() == Answer.Kind.PRIMARY && a.attempts() > 0
      && addresses.contains(a.address()) && a.answeredAt() >= from && a.startedAt() <= to).count();
  }
}
