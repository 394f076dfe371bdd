package io.runway.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.function.SingletonSupplier;
import reactor.netty.http.HttpResources;

/** Meters every service gets from {@code common}: R2DBC connection acquire time and Netty event-loop lag. */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
public class ObservabilityAutoConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnClass(HttpResources.class)
    EventLoopLag eventLoopLag(
            MeterRegistry registry,
            ObjectProvider<ReactorResourceFactory> resources,
            @Value("${app.metrics.event-loop-probe:1s}") Duration every) {
        var factory = SingletonSupplier.of(resources::getIfAvailable);
        Supplier<EventLoopGroup> serverLoops = () -> {
            var own = factory.get();
            if (own == null) {
                return HttpResources.get().onServer(true);
            }
            return own.isRunning() ? own.getLoopResources().onServer(true) : null;
        };
        return new EventLoopLag(serverLoops, every, registry, System::nanoTime);
    }

    /** Wraps each R2DBC connection factory bean so that its acquisitions are timed as {@code r2dbc.pool.acquire}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConnectionFactory.class)
    static class ConnectionFactoryTiming {

        @Bean
        static BeanPostProcessor timedConnectionFactories(ObjectProvider<MeterRegistry> registry) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof ConnectionFactory factory) || bean instanceof TimedConnectionFactory) {
                        return bean;
                    }
                    // resolved at the first acquisition: the registry is not created early for this
                    var acquire = SingletonSupplier.of(() -> Timer.builder("r2dbc.pool.acquire")
                            .description("Time to get a connection from the pool (waiting for a free or a new one)")
                            .tag("name", name)
                            .serviceLevelObjectives(LatencyBuckets.slo())
                            .register(registry.getIfAvailable(SimpleMeterRegistry::new)));
                    return new TimedConnectionFactory(factory, acquire);
                }
            };
        }
    }
}
