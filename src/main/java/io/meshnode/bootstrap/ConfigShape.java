package io.meshnode.bootstrap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shape of one config value as {@link ConfigSchema} declares it: a scalar of a known type, a section of fixed
 * keys, a mapping whose keys are names the user chooses, a list, or a set of a client library's properties. It says
 * which keys exist and how an environment variable's text is typed; the settings readers still validate the values.
 */
sealed interface ConfigShape {

  /** A value; its type is how {@link EnvironmentRule} reads a variable that replaces it. */
  enum Scalar implements ConfigShape {
    STRING("a string"), INTEGER("an integer"), NUMBER("a number"), BOOLEAN("true or false");

    private final String description;

    Scalar(String description) {
      this.description = description;
    }

    /** What a value of this type must be, for error messages. */
    String description() {
      return description;
    }
  }

  /** A mapping with a fixed set of keys, in declaration order. */
  record Section(Map<String, ConfigShape> keys) implements ConfigShape {
    public Section {
      keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
  }

  /** A mapping whose keys the user names ({@code circuit_breakers.<name>}); every value has the shape {@code entry}. */
  record Named(ConfigShape entry) implements ConfigShape {
  }

  /** A list whose elements have the shape {@code element}. */
  record ListOf(ConfigShape element) implements ConfigShape {
  }

  /**
   * A mapping of a client library's own properties ({@code kafka.producer}): its keys are {@code names}, the list the
   * library publishes; the values are passed through as strings.
   *
   * @param library what the properties are, for error messages ("kafka-clients producer property")
   */
  record Properties(String library, Set<String> names) implements ConfigShape {
    public Properties {
      names = Collections.unmodifiableSet(new TreeSet<>(names));
    }
  }
}
