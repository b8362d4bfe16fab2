package io.meshnode.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code promtool check metrics} on an exposition. CI installs promtool (Debian package {@code prometheus}) and this
 * runs it; on a machine without it, the same lint rules promtool applies to names, units, suffixes and help texts are
 * checked here, so the assertion never silently disappears.
 */
public final class PrometheusLint {

  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) .+$");
  private static final Pattern NON_BASE_UNIT = Pattern.compile(
    "_(milliseconds|microseconds|nanoseconds|minutes|hours|days|ms|us|ns|kilobytes|megabytes|gigabytes|bits|percent)(_|$)");

  private PrometheusLint() {
  }

  /** The problems found; empty when the exposition is clean. */
  public static List<String> problems(String exposition) {
    String promtool = findPromtool();
    return promtool != null ? runPromtool(promtool, exposition) : lint(exposition);
  }

  private static String findPromtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "promtool");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }

  private static List<String> runPromtool(String promtool, String exposition) {
    try {
      Process process = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
      process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return List.of("promtool did not finish within 30 s");
      }
      return output.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      return List.of("cannot run promtool: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("interrupted while running promtool");
    }
  }

  static List<String> lint(String exposition) {
    Map<String, String> types = new HashMap<>();
    Map<String, Boolean> helped = new HashMap<>();
    exposition.lines().forEach(line -> {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        types.put(type.group(1), type.group(2));
      }
      Matcher help = HELP.matcher(line);
      if (help.matches()) {
        helped.put(help.group(1), true);
      }
    });
    List<String> problems = new ArrayList<>();
    types.forEach((name, type) -> {
      String exported = type.equals("counter") && !name.endsWith("_total") ? name + "_total" : name;
      if (!helped.containsKey(name)) {
        problems.add(name + " no help text");
      }
      if (NON_BASE_UNIT.matcher(exported).find()) {
        problems.add(exported + " use base unit");
      }
      if (!type.equals("histogram") && !type.equals("summary")
        && (name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"))) {
        problems.add(name + " non-histogram and non-summary metrics should not have \"_count\", \"_sum\" or \"_bucket\" suffix");
      }
      if (!name.equals(name.toLowerCase())) {
        problems.add(name + " metric names should be written in 'snake_case' not 'camelCase'");
      }
    });
    return problems;
  }
}
