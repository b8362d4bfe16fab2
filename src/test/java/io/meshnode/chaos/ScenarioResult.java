package io.meshnode.chaos;

import io.meshnode.support.TestNode;
import io.meshnode.support.TopicReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The exact accounting of one scenario: every request and what answered it, every acknowledged Kafka message and
 * whether a consumer read it back, the breaker's path in events, {@code /health} and {@code /metrics}, and the time
 * to recover. {@link #problems()} lists every property that does not hold; the suite asserts it is empty.
 */
record ScenarioResult(Scenario scenario, int requests, int answered, int primary, int fallback,
                      SortedMap<Integer, Integer> codes, int uncoded, int unanswered, int late, long maxOverrunMillis,
                      long maxLatencyMillis, int acknowledged, int queued, int readBack, int lost, int duplicates,
                      int inconsistentDuplicates, String path, String healthPath, int halfOpenSuccesses,
                      Map<String, Double> metricTransitions, double finalGauge, String finalHealth,
                      long recoveryMillis, long recoveryBoundMillis, int primaryAfterRecovery,
                      int successThreshold, int poisoned, int deadLettered, long deadLeft) {

  /** Codes a valid request may be answered with under faults. */
  static final Set<Integer> FAULT_CODES = Set.of(503, 504, 507);

  /** The raw observations of one run. */
  record Observation(Scenario scenario, List<Answer> answers, Map<String, Long> deadlines, long epsilonMillis,
                     List<TopicReader.Read> records, BreakerWatch watch, String metrics, String finalHealth,
                     long returnedAt, long recoveredAt, long recoveryBoundMillis, int successThreshold,
                     int poisoned, long deadLeft) {
  }

  static ScenarioResult account(Observation o) {
    List<Answer> answers = o.answers();
    SortedMap<Integer, Integer> codes = new TreeMap<>();
    answers.stream().filter(a -> a.kind() == Answer.Kind.CODED).forEach(a -> codes.merge(a.code(), 1, Integer::sum));
    long maxOverrun = Long.MIN_VALUE;
    long maxLatency = 0;
    int late = 0;
    for (Answer a : answers) {
      if (a.latencyMillis() >= 0) {
        long overrun = a.latencyMillis() - o.deadlines().get(a.address());
        maxOverrun = Math.max(maxOverrun, overrun);
        maxLatency = Math.max(maxLatency, a.latencyMillis());
        late += overrun > o.epsilonMillis() ? 1 : 0;
      }
    }
    Set<String> acknowledged = answers.stream().map(Answer::messageId).filter(id -> id != null)
      .collect(Collectors.toSet());
    Map<String, TopicReader.Read> firstById = new HashMap<>();
    int inconsistent = 0;
    for (TopicReader.Read read : o.records()) {
      TopicReader.Read first = firstById.putIfAbsent(read.messageId(), read);
      if (first != null && !(first.value().equals(read.value()) && String.valueOf(first.key()).equals(read.key()))) {
        inconsistent++;
      }
    }
    Set<String> read = new HashSet<>(firstById.keySet());
    read.retainAll(acknowledged);
    List<BreakerWatch.Transition> transitions = o.watch().transitions();
    String service = o.scenario().breaker();
    Map<String, Double> metricTransitions = new TreeMap<>();
    for (String state : List.of("open", "half_open", "closed")) {
      metricTransitions.put(state, Math.max(0, TestNode.sample(o.metrics(),
        "circuit_breaker_transitions_total{service=\"" + service + "\",state=\"" + state + "\"}")));
    }
    return new ScenarioResult(o.scenario(), answers.size(),
      count(answers, k -> k != Answer.Kind.UNANSWERED), count(answers, k -> k == Answer.Kind.PRIMARY),
      count(answers, k -> k == Answer.Kind.FALLBACK), codes, count(answers, k -> k == Answer.Kind.UNCODED),
      count(answers, k -> k == Answer.Kind.UNANSWERED), late, maxOverrun, maxLatency, acknowledged.size(),
      (int) answers.stream().filter(a -> "queued".equals(a.detail()) && a.messageId() != null).count(),
      read.size(), acknowledged.size() - read.size(), o.records().size() - firstById.size(), inconsistent,
      BreakerPath.of(transitions), BreakerPath.ofHealth(o.watch().samples()),
      BreakerPath.successesInLastHalfOpen(transitions, answers, o.scenario().addresses()),
      metricTransitions, TestNode.sample(o.metrics(), "circuit_breaker_state{service=\"" + service + "\"}"),
      o.finalHealth(), o.recoveredAt() < 0 ? -1 : o.recoveredAt() - o.returnedAt(), o.recoveryBoundMillis(),
      (int) answers.stream().filter(a -> a.kind() == Answer.Kind.PRIMARY && o.recoveredAt() >= 0
        && a.startedAt() >= o.recoveredAt() && o.scenario().addresses().contains(a.address())).count(),
      o.successThreshold(), o.poisoned(), (int) deadLettered(o.metrics()), o.deadLeft());
  }

  /** Messages the durable queue set aside as dead letters, whatever the reason. */
  private static double deadLettered(String metrics) {
    return metrics.lines().filter(line -> line.startsWith("kafka_queue_dead_lettered_total{"))
      .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static int count(List<Answer> answers, java.util.function.Predicate<Answer.Kind> kind) {
    return (int) answers.stream().filter(a -> kind.test(a.kind())).count();
  }

  /** Every property of the issue that does not hold in this run; empty when the scenario passes. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    check(problems, unanswered == 0, unanswered + " request(s) never answered");
    check(problems, uncoded == 0, uncoded + " request(s) answered with an uncoded failure");
    check(problems, late == 0,
      late + " answer(s) later than deadline + epsilon (max overrun " + maxOverrunMillis + " ms)");
    check(problems, FAULT_CODES.containsAll(codes.keySet()), "unexpected failure codes " + codes.keySet());
    check(problems, lost == 0, lost + " acknowledged Kafka message(s) not in the topic");
    check(problems, deadLettered == poisoned, deadLettered + " dead letter(s) for " + poisoned
      + " queued message(s) Kafka refuses");
    check(problems, deadLeft == 0, deadLeft + " dead letter(s) left after the operator dropped them");
    check(problems, inconsistentDuplicates == 0, inconsistentDuplicates + " duplicate(s) differing from the original");
    check(problems, recoveryMillis >= 0, "the node did not become healthy again");
    check(problems, recoveryMillis <= recoveryBoundMillis,
      "healthy " + recoveryMillis + " ms after the dependency returned, bound " + recoveryBoundMillis + " ms");
    check(problems, "healthy".equals(finalHealth), "/health ended " + finalHealth);
    check(problems, finalGauge == 0.0, "circuit_breaker_state ended at " + finalGauge);
    check(problems, primaryAfterRecovery > 0, "no primary answer from the dependency after recovery");
    if (scenario.expectsOpen()) {
      check(problems, BreakerPath.isFullCycle(path), "breaker path " + path + " is not open>half_open>...>closed");
      check(problems, healthPath.contains("open") && healthPath.endsWith("closed"),
        "/health showed the breaker as " + healthPath);
      check(problems, metricTransitions.values().stream().allMatch(n -> n >= 1),
        "circuit_breaker_transitions_total " + metricTransitions);
      check(problems, halfOpenSuccesses >= successThreshold,
        "closed after " + halfOpenSuccesses + " success(es) in half_open, success_threshold " + successThreshold);
      check(problems, fallback > 0, "no fallback answer while the dependency was down");
    } else {
      check(problems, path.isEmpty() || BreakerPath.isFullCycle(path), "breaker path " + path + " did not end closed");
    }
    return problems;
  }

  private static void check(List<String> problems, boolean holds, String problem) {
    if (!holds) {
      problems.add(problem);
    }
  }
}
