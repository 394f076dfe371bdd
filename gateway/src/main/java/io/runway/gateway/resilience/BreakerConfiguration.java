package io.runway.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The breakers of {@code resilience4j.circuitbreaker.*}, built as Resilience4j's Boot module builds them, but with no
 * consumer of their per-call events: the module subscribes the actuator's event buffer (an endpoint the gateway does
 * not expose) and a metrics publisher whose {@code calls} timer no dashboard or alert reads, and any subscriber makes
 * every call create an event object and read the clock's zoned time. {@link BreakerMeters} publishes what is read.
 */
@Configuration(proxyBeanMethods = false)
class BreakerConfiguration {

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry(
            CircuitBreakerProperties properties,
            @Qualifier("compositeCircuitBreakerCustomizer")
                    CompositeCustomizer<CircuitBreakerConfigCustomizer> customizer,
            BreakerMeters meters) {
        var configs = new HashMap<String, CircuitBreakerConfig>();
        properties
                .getConfigs()
                .forEach((name, config) ->
                        configs.put(name, properties.createCircuitBreakerConfig(name, config, customizer)));
        var registry = CircuitBreakerRegistry.of(configs, meters, Map.copyOf(properties.getTags()));
        properties
                .getInstances()
                .forEach((name, instance) -> registry.circuitBreaker(
                        name, properties.createCircuitBreakerConfig(name, instance, customizer)));
        return registry;
    }
}
