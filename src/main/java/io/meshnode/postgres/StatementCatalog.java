package io.meshnode.postgres;

import io.meshnode.resilience.ConfigValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named statements of {@code postgres.statements} ({@code name: {sql, mode: read|write}}) and the schema
 * statements of {@code postgres.schema} that the node runs, idempotently, at start when {@code init_schema} is true.
 */
public final class StatementCatalog {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

  private final Map<String, NamedStatement> statements;
  private final List<String> schema;

  private StatementCatalog(Map<String, NamedStatement> statements, List<String> schema) {
    this.statements = Collections.unmodifiableMap(statements);
    this.schema = schema;
  }

  /** Parses the {@code postgres} section; throws {@link IllegalArgumentException} naming the bad key. */
  public static StatementCatalog fromJson(JsonObject postgres) {
    JsonObject declared = postgres.getJsonObject("statements", new JsonObject());
    Map<String, NamedStatement> statements = new LinkedHashMap<>();
    declared.fieldNames().forEach(name -> {
      String path = "postgres.statements." + name;
      JsonObject json = ConfigValues.object(declared, "postgres.statements", name);
      String sql = ConfigValues.string(json, path, "sql", null);
      String mode = ConfigValues.string(json, path, "mode", "read");
      if (!mode.equals("read") && !mode.equals("write")) {
        throw ConfigValues.invalid(path + ".mode", mode, "must be read or write");
      }
      statements.put(name, new NamedStatement(name, sql, mode.equals("write"), highestPlaceholder(sql)));
    });
    JsonArray schema = postgres.getJsonArray("schema", new JsonArray());
    List<String> ddl = schema.stream().map(String::valueOf).toList();
    return new StatementCatalog(statements, ddl);
  }

  /** The statement called {@code name}, or null. */
  public NamedStatement find(String name) {
    return statements.get(name);
  }

  /** The schema statements, in order. */
  public List<String> schema() {
    return schema;
  }

  private static int highestPlaceholder(String sql) {
    Matcher matcher = PLACEHOLDER.matcher(sql);
    int highest = 0;
    while (matcher.find()) {
      highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
    }
    return highest;
  }
}
