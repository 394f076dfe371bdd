package io.runway.common.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Runs a Spring Boot test class against the real PostgreSQL and Redis: the class gets its own fresh database (set as
 * {@code db.*}) and its own Redis key prefix ({@code app.redis.key-prefix}); the context is closed after the class and
 * the database dropped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@DirtiesContext
public @interface RealInfrastructure {}
