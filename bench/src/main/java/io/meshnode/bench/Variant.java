package io.meshnode.bench;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** One way of doing a scenario's operation; {@code op} is called on the driver's event loop. */
record Variant(String name, Supplier<Future<?>> op) {
}
