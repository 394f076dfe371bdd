package io.runway.common.testsupport;

import java.util.HashMap;
import java.util.UUID;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/** Creates the class's database when its context starts and drops it after every other bean is gone. */
final class RealInfrastructureContextCustomizer implements ContextCustomizer {

    private final Class<?> testClass;

    RealInfrastructureContextCustomizer(Class<?> testClass) {
        this.testClass = testClass;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        var database = TestDatabase.create(testClass.getSimpleName());
        var redis = TestInfrastructure.redis();
        var properties = new HashMap<String, Object>();
        properties.put("db.host", database.host());
        properties.put("db.port", database.port());
        properties.put("db.name", database.name());
        properties.put("db.username", database.user());
        properties.put("db.password", database.password());
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("app.internal-token.secret", TestTokens.SECRET);
        properties.put("logging.structured.format.console", "");
        properties.put(
                "app.redis.key-prefix", "t-" + UUID.randomUUID().toString().substring(0, 8) + ":");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("realInfrastructure", properties));
        // Registered before any application bean, so it is destroyed after all of them (connection pools included).
        ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean("realInfrastructureDatabase", database::close);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RealInfrastructureContextCustomizer that && that.testClass == testClass;
    }

    @Override
    public int hashCode() {
        return testClass.hashCode();
    }
}
