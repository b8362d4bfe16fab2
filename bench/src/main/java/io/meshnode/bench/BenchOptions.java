package io.meshnode.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code [scenario...] [--runs N] [--seconds S] [--warmup S] [--inflight N] [--soak]
 * [--soak-seconds S] [--conf DIR] [--verticles FILE] [--broker-jars DIR]}. No scenario means all of them.
 *
 * @param seconds       length of each measured pass
 * @param warmupSeconds the most warm-up time per variant before the measured passes ({@link Rotation}: it ends
 *                      earlier once the JIT has settled)
 */
record BenchOptions(List<String> scenarios, int runs, int seconds, int warmupSeconds, int inflight, boolean soak,
                    int soakSeconds, Path confDir, Path verticles, Path brokerJars) {

  static final List<String> SCENARIOS = List.of("redis", "pg", "kafka", "pipeline", "failfast", "queue", "memory");
  static final int DEFAULT_RUNS = 3;
  static final int DEFAULT_SECONDS = 2;
  static final int DEFAULT_WARMUP_SECONDS = 10;
  static final int DEFAULT_INFLIGHT = 64;
  static final int DEFAULT_SOAK_SECONDS = 600;

  static BenchOptions parse(String[] args) {
    List<String> scenarios = new ArrayList<>();
    int runs = DEFAULT_RUNS;
    int seconds = DEFAULT_SECONDS;
    int warmup = DEFAULT_WARMUP_SECONDS;
    int inflight = DEFAULT_INFLIGHT;
    boolean soak = false;
    int soakSeconds = DEFAULT_SOAK_SECONDS;
    Path conf = Path.of("conf");
    Path verticles = Path.of("verticles.json");
    Path brokerJars = Path.of("target", "kafka-broker");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--runs" -> runs = positive(arg, value(args, ++i, arg), 1000);
        case "--seconds" -> seconds = positive(arg, value(args, ++i, arg), 3600);
        case "--warmup" -> warmup = positive(arg, value(args, ++i, arg), 3600);
        case "--inflight" -> inflight = positive(arg, value(args, ++i, arg), 100_000);
        case "--soak" -> soak = true;
        case "--soak-seconds" -> soakSeconds = positive(arg, value(args, ++i, arg), 86_400);
        case "--conf" -> conf = Path.of(value(args, ++i, arg));
        case "--verticles" -> verticles = Path.of(value(args, ++i, arg));
        case "--broker-jars" -> brokerJars = Path.of(value(args, ++i, arg));
        default -> {
          if (!SCENARIOS.contains(arg)) {
            throw new IllegalArgumentException("unknown scenario or option '" + arg + "'; scenarios: " + SCENARIOS);
          }
          if (!scenarios.contains(arg)) {
            scenarios.add(arg);
          }
        }
      }
    }
    return new BenchOptions(scenarios.isEmpty() ? SCENARIOS : List.copyOf(scenarios), runs, seconds, warmup, inflight,
      soak, soakSeconds, conf, verticles, brokerJars);
  }

  boolean needsKafka() {
    return scenarios.contains("kafka") || scenarios.contains("queue") || (soak && scenarios.contains("memory"));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String option, String raw, int max) {
    try {
      int value = Integer.parseInt(raw);
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(option + " must be 1.." + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer, got '" + raw + "'", e);
    }
  }
}
