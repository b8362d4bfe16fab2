package io.meshnode.bench;

import io.meshnode.tools.LocalKafkaBroker;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The load harness of issue 4, in one JVM: for each scenario it deploys the mesh node in-process, drives it from a
 * client verticle over the event bus, and measures the direct baselines and the raw bus hop in the same run,
 * alternating, after a warm-up. A local Kafka broker on free ports is started for the scenarios that need one and
 * stopped at the end. {@code jmh [JMH options]} runs the JMH benchmarks instead.
 *
 * <pre>java -jar bench/target/mesh-bench.jar [scenario...] [--runs N] [--seconds S] [--warmup S] [--inflight N] [--soak]</pre>
 * run from the repository root (it reads {@code conf/}, {@code verticles.json} and {@code target/kafka-broker}).
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      org.openjdk.jmh.Main.main(rest.length > 0 ? rest : new String[] {PipelineBench.class.getSimpleName()});
      return;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "mesh-bench-logback.xml");
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("mesh-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options, System.out));
  }

  private static int run(BenchOptions options, PrintStream out) {
    BlockedThreads blocked = BlockedThreads.install();
    out.printf("mesh-bench: scenarios %s, %d run(s) x %d s per pass after <= %d s of warm-up per variant, %d in flight"
        + " (and 1), %d cpu(s), max heap %d MB, java %s%n", options.scenarios(), options.runs(), options.seconds(),
      options.warmupSeconds(), options.inflight(),
      Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
      System.getProperty("java.version"));
    LocalKafkaBroker broker = options.needsKafka() ? startBroker(options, out) : null;
    String kafka = broker != null ? broker.bootstrapServers() : "127.0.0.1:" + MeshNode.freePort();
    List<ScenarioReport> reports = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      for (String scenario : options.scenarios()) {
        out.printf("%n-- %s%n", scenario);
        long blockedBefore = blocked.count();
        try {
          ScenarioReport report = switch (scenario) {
            case "redis" -> RedisScenario.run(options, kafka, out);
            case "pg" -> PgScenario.run(options, kafka, out);
            case "kafka" -> KafkaScenario.run(options, kafka, out);
            case "pipeline" -> PipelineScenario.run(options, kafka, out);
            case "failfast" -> FailFastScenario.run(options, kafka, out, blocked);
            case "queue" -> QueueScenario.run(options, kafka, out);
            default -> {
              MemoryScenario.run(options, kafka, out, blocked);
              yield null;
            }
          };
          if (report != null) {
            report.note("blocked-thread warnings in this scenario: " + (blocked.count() - blockedBefore));
            reports.add(report);
            Report.print(report, options.inflight(), false, out);
          }
        } catch (RuntimeException e) {
          failed.add(scenario);
          out.printf("%s: FAILED: %s%n", scenario, e);
          e.printStackTrace(out);
        }
      }
    } finally {
      if (broker != null) {
        broker.stop();
      }
    }
    out.printf("%n== summary (medians of %d run(s))%n", options.runs());
    reports.forEach(report -> Report.print(report, options.inflight(), true, out));
    if (!failed.isEmpty()) {
      out.println("failed scenarios: " + failed);
      return 1;
    }
    return 0;
  }

  private static LocalKafkaBroker startBroker(BenchOptions options, PrintStream out) {
    int port = MeshNode.freePort();
    int controller = MeshNode.freePort();
    while (controller == port) {
      controller = MeshNode.freePort();
    }
    Path data = MeshNode.tempDir("mesh-bench-kafka");
    LocalKafkaBroker broker = new LocalKafkaBroker(options.brokerJars(), data, port, controller,
      LocalKafkaBroker.DEFAULT_HEAP);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "mesh-bench-broker-stop"));
    out.printf("starting a Kafka broker on 127.0.0.1:%d (data %s)%n", port, data);
    broker.start();
    return broker;
  }
}
