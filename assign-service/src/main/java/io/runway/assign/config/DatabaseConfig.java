package io.runway.assign.config;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import java.util.Map;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Session settings of the service's R2DBC connections. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    /**
     * JIT off: the claim statement's LATERAL ... LIMIT is costed as if it read whole requests, which crosses the JIT
     * thresholds and made PostgreSQL spend ~600 ms compiling a query that runs in ~20 ms. The service only runs short
     * OLTP statements, which never profit from JIT.
     */
    @Bean
    ConnectionFactoryOptionsBuilderCustomizer sessionSettings() {
        return builder -> builder.option(PostgresqlConnectionFactoryProvider.OPTIONS, Map.of("jit", "off"));
    }
}
