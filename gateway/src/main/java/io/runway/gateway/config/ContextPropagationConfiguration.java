package io.runway.gateway.config;

import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Configuration;

/**
 * Automatic context propagation copies every registered thread-local at every operator boundary, which is a large
 * share of a proxied request's CPU. The gateway keeps only what its logs need, the request id (MDC), and drops Spring
 * Security's holders (spring-security-core is here only for its JWT decoder; nothing reads its security context) and
 * the current-observation holder: observations, and their spans, reach each other through the Reactor context and the
 * exchange (the proxied call's span is the child of the request's), and the gateway's log lines take the trace ids
 * from there too ({@code RequestIds.inMdc}).
 */
@Configuration(proxyBeanMethods = false)
class ContextPropagationConfiguration implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ContextPropagationConfiguration.class);

    @Override
    public void afterPropertiesSet() {
        var registry = ContextRegistry.getInstance();
        registry.getThreadLocalAccessors().stream()
                .filter(accessor -> accessor.getClass().getName().startsWith("org.springframework.security.")
                        || ObservationThreadLocalAccessor.KEY.equals(accessor.key()))
                .map(accessor -> accessor.key())
                .toList()
                .forEach(registry::removeThreadLocalAccessor);
        log.info(
                "Thread-locals propagated across reactive operators: {}",
                registry.getThreadLocalAccessors().stream()
                        .map(accessor -> String.valueOf(accessor.key()))
                        .toList());
    }
}
