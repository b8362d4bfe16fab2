package io.meshnode.bootstrap;

import io.meshnode.bootstrap.ConfigShape.ListOf;
import io.meshnode.bootstrap.ConfigShape.Scalar;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of an {@link EnvironmentRule} variable typed as the key it sets is declared: an integer (an int), a number
 * (an int, or a double when fractional), {@code true} or {@code false} in any case, a string as written; a list is a
 * YAML flow list ({@code [events, analytics]}; JSON is one too) or, for a list of scalars, comma-separated values
 * ({@code events, analytics}). A list of mappings is checked against its declared keys. Text that is none of these
 * throws an {@link IllegalArgumentException} naming the variable and the key; a string is never malformed, so a
 * password is never part of a message.
 */
final class EnvironmentValue {

  private static final char FLOW_LIST_START = '[';
  private static final String LIST_SEPARATOR = ",";
  private static final String FLOW_LIST = "a YAML flow list";
  private static final String FLOW_LIST_OF_MAPPINGS = "a YAML flow list of mappings, [{…}, …]";

  private EnvironmentValue() {
  }

  /** {@code text} of {@code variable}, which sets the key at {@code path} of shape {@code shape} (a scalar or list). */
  static Object typed(String variable, String path, String text, ConfigShape shape) {
    if (shape instanceof ListOf list) {
      return text.trim().startsWith(String.valueOf(FLOW_LIST_START))
        ? flowList(variable, path, text, list.element())
        : commaList(variable, path, text, list.element());
    }
    Scalar scalar = (Scalar) shape;
    return scalar(scalar == Scalar.STRING ? text : text.trim(), scalar)
      .orElseThrow(() -> malformed(variable, path, scalar.description(), text));
  }

  /** {@code text} as a value of {@code type}: a string as is, an integer as an int, a number as an int or a double. */
  private static Optional<Object> scalar(String text, Scalar type) {
    if (type == Scalar.STRING) {
      return Optional.of(text);
    }
    if (type == Scalar.BOOLEAN) {
      return text.equalsIgnoreCase(Boolean.TRUE.toString()) || text.equalsIgnoreCase(Boolean.FALSE.toString())
        ? Optional.of(Boolean.parseBoolean(text)) : Optional.empty();
    }
    BigDecimal number;
    try {
      number = new BigDecimal(text);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(number.intValueExact());
    } catch (ArithmeticException notAnInt) {
      return type == Scalar.INTEGER ? Optional.empty() : Optional.of(number.doubleValue());
    }
  }

  private static JsonArray commaList(String variable, String path, String text, ConfigShape element) {
    if (!(element instanceof Scalar scalar)) {
      throw malformed(variable, path, FLOW_LIST_OF_MAPPINGS, text);
    }
    JsonArray items = new JsonArray();
    for (String item : text.split(LIST_SEPARATOR, -1)) {
      items.add(scalar(item.trim(), scalar).orElseThrow(() ->
        malformed(variable, path, "a comma-separated list of " + scalar.description() + " values", text)));
    }
    return items;
  }

  private static JsonArray flowList(String variable, String path, String text, ConfigShape element) {
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.trim());
    } catch (RuntimeException e) {
      throw malformed(variable, path, FLOW_LIST, text);
    }
    if (!(parsed instanceof List<?> values)) {
      throw malformed(variable, path, FLOW_LIST, text);
    }
    JsonArray items = new JsonArray(new ArrayList<>(values)).copy();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.getValue(i);
      if (element instanceof Scalar scalar) {
        Object value = item == null ? null : scalar(String.valueOf(item), scalar).orElse(null);
        if (value == null) {
          throw malformed(variable, path, "a list of " + scalar.description() + " values", text);
        }
        items.set(i, value);
      } else if (item instanceof JsonObject) {
        try {
          UnknownKeys.check(ConfigLoader.SOURCE, path + "[" + i + "]", item, element);
        } catch (IllegalArgumentException e) {
          throw EnvironmentRule.invalid(variable, e.getMessage());
        }
      } else {
        throw malformed(variable, path, FLOW_LIST_OF_MAPPINGS, text);
      }
    }
    return items;
  }

  private static IllegalArgumentException malformed(String variable, String path, String expected, String text) {
    return EnvironmentRule.invalid(variable, "must be " + expected + " (it sets " + path + "), got '" + text + "'");
  }
}
