package io.runway.run.face;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.validation.annotation.Validated;
import reactor.netty.resources.LoopResources;

/**
 * The web server's event loops: one per CPU the JVM sees unless set. Reactor Netty's global default is never fewer than
 * four, so on a machine of one or two CPUs its loops, each writing its share of every run's subscribers for every
 * event, took the CPU from each other and from everything else on the machine. Replaces Boot's resource factory (the
 * global resources) with one of the service's own, which the server runs on and disposes of when it stops.
 */
@Configuration(proxyBeanMethods = false)
class ServerEventLoops {

    @Bean
    ReactorResourceFactory reactorResourceFactory(EventLoopsProperties properties) {
        var factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> LoopResources.create("run-http", properties.count(), true));
        return factory;
    }

    /** @param eventLoops the server's event-loop threads; 0: one per CPU the JVM sees */
    @Validated
    @ConfigurationProperties("app.server")
    record EventLoopsProperties(@Min(0) @DefaultValue("0") int eventLoops) {

        int count() {
            return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
        }
    }
}
