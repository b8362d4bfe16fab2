package io.meshnode.resilience;

import java.time.Duration;

/**
 * How one public address is served, as {@code routes.<address>} maps it: which operation name it is counted under,
 * which breaker, retry policy and timeout apply, and which fallback strategy (if any) answers when they give up.
 *
 * @param address   the public event-bus address
 * @param operation the {@code operation} label of its retry, timeout and fallback counters
 * @param breaker   the dependency's breaker
 * @param retry     its retry policy
 * @param timeout   the deadline of the whole operation, retries and backoff included
 * @param fallback  the fallback strategy's name, or null when the operation has none
 */
public record RouteOptions(String address, String operation, BreakerOptions breaker, RetryOptions retry,
                           Duration timeout, String fallback) {
}
