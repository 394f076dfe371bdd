package io.runway.common.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TimedConnectionFactoryTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Timer acquire = Timer.builder("r2dbc.pool.acquire").register(registry);

    @Test
    void eachAcquisitionIsTimedFromTheRequestToTheConnection() {
        var pool = mock(ConnectionFactory.class);
        var connection = mock(Connection.class);
        when(pool.create()).thenAnswer(call -> Mono.just(connection).delayElement(Duration.ofMillis(30)));
        var timed = new TimedConnectionFactory(pool, () -> acquire);

        StepVerifier.create(Mono.<Connection>from(timed.create()))
                .expectNext(connection)
                .verifyComplete();
        StepVerifier.create(Mono.<Connection>from(timed.create()))
                .expectNext(connection)
                .verifyComplete();

        assertThat(acquire.count()).isEqualTo(2);
        assertThat(acquire.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(30);
    }

    @Test
    void aFailedAcquisitionIsNotTimed() {
        var pool = mock(ConnectionFactory.class);
        when(pool.create()).thenAnswer(call -> Mono.error(new IllegalStateException("pool closed")));

        StepVerifier.create(new TimedConnectionFactory(pool, () -> acquire).create())
                .verifyError(IllegalStateException.class);
        assertThat(acquire.count()).isZero();
    }

    @Test
    void unwrapsToThePoolAndDisposesOfIt() {
        var pool = mock(ConnectionFactory.class, withSettings().extraInterfaces(Disposable.class));
        var timed = new TimedConnectionFactory(pool, () -> acquire);

        assertThat(timed.unwrap()).isSameAs(pool);
        timed.dispose();
        org.mockito.Mockito.verify((Disposable) pool).dispose();
    }
}
