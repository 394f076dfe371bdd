package io.runway.common.observability;

import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A connection factory (the service's pool) that times each acquisition, from the request for a connection to its
 * arrival: the wait for a free pooled connection, or for a new one. It unwraps to the pool, so Spring Boot still binds
 * the pool's own gauges to it, and disposes of the pool with it.
 */
final class TimedConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory>, Disposable {

    private final ConnectionFactory pool;
    private final Supplier<Timer> acquire;

    TimedConnectionFactory(ConnectionFactory pool, Supplier<Timer> acquire) {
        this.pool = pool;
        this.acquire = acquire;
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.defer(() -> {
            long asked = System.nanoTime();
            return Mono.from(pool.create())
                    .doOnNext(connection -> acquire.get().record(System.nanoTime() - asked, TimeUnit.NANOSECONDS));
        });
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return pool.getMetadata();
    }

    @Override
    public ConnectionFactory unwrap() {
        return pool;
    }

    @Override
    public void dispose() {
        if (pool instanceof Disposable disposable) {
            disposable.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return pool instanceof Disposable disposable && disposable.isDisposed();
    }
}
