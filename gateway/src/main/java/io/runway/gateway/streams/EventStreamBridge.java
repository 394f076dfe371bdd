package io.runway.gateway.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;

/**
 * One event stream passed through from the service's connection to the caller's channel as the service framed it:
 * each body buffer the service sends is written to the caller as it is, and the buffers read since the caller's
 * channel last ran are written by one task and leave with one flush. The service is read at most {@code readAhead}
 * buffers ahead of the caller's socket: while the caller's channel is not writable no more are asked for, so the
 * service's connection stops being read. The caller leaving closes the service's connection; the service ending the
 * stream ends the caller's response once everything read before has been written.
 */
final class EventStreamBridge extends ChannelInboundHandlerAdapter
        implements CoreSubscriber<ByteBuf>, Runnable, ChannelFutureListener {

    private final Channel caller;
    private final Connection upstream;
    private final MonoSink<Void> done;
    private final int readAhead;
    private final int replenishEvery;
    private final Queue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger owedDemand = new AtomicInteger();
    private volatile Subscription subscription;
    private volatile boolean upstreamEnded;
    private volatile Throwable upstreamError;
    private int receivedSinceRequest;

    EventStreamBridge(Channel caller, Connection upstream, MonoSink<Void> done, int readAhead) {
        this.caller = caller;
        this.upstream = upstream;
        this.done = done;
        this.readAhead = readAhead;
        this.replenishEvery = Math.max(1, readAhead / 2);
    }

    /** Starts passing the service's body through; the caller's response must already be committed. */
    void start() {
        caller.pipeline().addFirst(this);
        caller.closeFuture().addListener(this);
        done.onCancel(this::callerGone);
        upstream.inbound().receive().subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(readAhead);
    }

    @Override
    public void onNext(ByteBuf buffer) {
        if (finished.get()) {
            return;
        }
        pending.offer(buffer.retain());
        scheduleDrain();
        if (++receivedSinceRequest == replenishEvery) {
            receivedSinceRequest = 0;
            owedDemand.addAndGet(replenishEvery);
            requestOwedIfWritable();
        }
    }

    @Override
    public void onError(Throwable error) {
        upstreamError = error;
        upstreamEnded = true;
        scheduleDrain();
    }

    @Override
    public void onComplete() {
        upstreamEnded = true;
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            caller.eventLoop().execute(this);
        }
    }

    /** Writes what was read since the last run, on the caller's event loop, with one flush. */
    @Override
    public void run() {
        drainScheduled.set(false);
        boolean ended = upstreamEnded;
        boolean wrote = false;
        for (ByteBuf buffer = pending.poll(); buffer != null; buffer = pending.poll()) {
            if (finished.get()) {
                buffer.release();
            } else {
                caller.write(new DefaultHttpContent(buffer), caller.voidPromise());
                wrote = true;
            }
        }
        if (wrote) {
            caller.flush();
        }
        if (ended && pending.isEmpty()) {
            finish(upstreamError);
        }
    }

    private void requestOwedIfWritable() {
        if (caller.isWritable()) {
            int owed = owedDemand.getAndSet(0);
            if (owed > 0) {
                subscription.request(owed);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        requestOwedIfWritable();
        ctx.fireChannelWritabilityChanged();
    }

    /** The caller's channel closed. */
    @Override
    public void operationComplete(ChannelFuture future) {
        callerGone();
    }

    private void callerGone() {
        if (finished.get()) {
            return;
        }
        var s = subscription;
        if (s != null) {
            s.cancel();
        }
        upstream.dispose();
        finish(null);
    }

    private void finish(Throwable error) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        caller.closeFuture().removeListener(this);
        if (caller.pipeline().context(this) != null) {
            caller.pipeline().remove(this);
        }
        for (ByteBuf buffer = pending.poll(); buffer != null; buffer = pending.poll()) {
            buffer.release();
        }
        if (error != null) {
            done.error(error);
        } else {
            done.success();
        }
    }
}
