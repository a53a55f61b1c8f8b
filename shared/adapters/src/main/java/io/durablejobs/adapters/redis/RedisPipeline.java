package io.durablejobs.adapters.redis;

import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Group commit for the calls of many concurrent jobs: a dedicated connection whose commands are not flushed
 * one by one but gathered and sent together. Callers (the worker's jobs, each on its own thread) ask for a
 * call and wait for its answer as before; one flusher thread takes every call asked for since its last
 * flush, writes them in one pipelined flush, and waits for their answers before the next, so the calls
 * that a batch's jobs make at about the same moment (their claims, then their finishes, then their ledger
 * counts) travel in a few flushes per batch instead of one per call, and Redis reads and answers them in
 * as few system calls. Each job still sees its own calls answered in order, so nothing about fencing or
 * exactly-once changes: only how the calls share the wire.
 *
 * <p>Calls of the same {@linkplain #folded fold} (the ledger counts of one tenant) that meet in one flush
 * become a single script call with one answer per item.
 *
 * <p>The wait for a flush's answers is bounded ({@link #MAX_WAIT}): past it the next flush goes anyway, and
 * the flush also sends whatever a cluster redirection or a NOSCRIPT fallback queued meanwhile. Its own
 * connection, rather than the session's: a manual flush on a shared connection would hold other callers'
 * commands until it.
 */
public final class RedisPipeline implements AutoCloseable {
    /** How long a flush's answers are waited for before the next flush goes regardless. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Items folded into one script call at most (its keys and arguments grow with it). */
    static final int MAX_FOLD = 1000;
    /**
     * Commands written into the buffer, or time spent writing them, before it is flushed even while more are
     * being issued: a command's timeout runs from when it is buffered, so a large group (or a slow one, on a
     * starved machine) must not wait for all of itself.
     */
    static final int MAX_UNFLUSHED = 256;
    static final long MAX_UNFLUSHED_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final AtomicLong FLUSHES = new AtomicLong();
    private static final AtomicLong COMMANDS = new AtomicLong();

    /** One script call for several items; its MULTI answer has one entry per item, in order. */
    public interface Fold<I> {
        Call call(List<I> items);
    }

    /** A script call to make. */
    public record Call(RedisScript script, ScriptOutputType type, String[] keys, String[] args) {
    }

    private final Supplier<StatefulConnection<String, String>> opener;
    private final Function<StatefulConnection<String, String>, RedisClusterAsyncCommands<String, String>> asyncOf;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private List<Op> queue = new ArrayList<>();
    private StatefulConnection<String, String> connection;
    private RedisClusterAsyncCommands<String, String> async;
    private Thread flusher;
    private boolean closed;

    /**
     * @param opener  opens the dedicated connection (on first use), every cluster node's link already up
     * @param asyncOf its asynchronous commands
     */
    RedisPipeline(Supplier<StatefulConnection<String, String>> opener,
                  Function<StatefulConnection<String, String>, RedisClusterAsyncCommands<String, String>> asyncOf) {
        this.opener = opener;
        this.asyncOf = asyncOf;
    }

    /** Flushes sent by every pipeline of this process (each one round trip, however many calls it carried). */
    public static long flushesSent() {
        return FLUSHES.get();
    }

    /** Commands sent through every pipeline of this process. */
    public static long commandsSent() {
        return COMMANDS.get();
    }

    /** Runs {@code script} in the next flush. Redis failures come back as {@link StoreUnavailableException}. */
    public <T> CompletableFuture<T> script(RedisScript script, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> out = new CompletableFuture<>();
        enqueue(byScript(new Call(script, type, keys, args), out));
        return out;
    }

    /** Any other command, issued in the next flush. */
    public <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        CompletableFuture<T> out = new CompletableFuture<>();
        enqueue(new Command<>(command, out, null));
        return out;
    }

    /**
     * {@code item} joins every other item of {@code key} asked for before the next flush: one script call for
     * them all ({@code fold}, the same for every item of a key), and this item's entry of its answer.
     */
    public <I> CompletableFuture<Object> folded(Object key, I item, Fold<I> fold) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        enqueue(new Folded<>(key, item, fold, out));
        return out;
    }

    private void enqueue(Op op) {
        lock.lock();
        try {
            if (closed) {
                op.fail(new StoreUnavailableException("redis: the pipeline is closed", null));
                return;
            }
            if (flusher == null) {
                try {
                    connection = opener.get();
                } catch (RedisException e) {
                    op.fail(new StoreUnavailableException("redis: " + e.getMessage(), e));
                    return;
                }
                connection.setAutoFlushCommands(false);
                async = asyncOf.apply(connection);
                flusher = Thread.ofPlatform().daemon().name("redis-pipeline").start(this::flushLoop);
            }
            queue.add(op);
            if (queue.size() == 1) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        List<CompletableFuture<?>> outstanding = new ArrayList<>();
        while (true) {
            List<Op> ops;
            lock.lock();
            try {
                while (queue.isEmpty() && outstanding.isEmpty() && !closed) {
                    work.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                ops = queue;
                queue = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            unflushed = 0;
            issue(ops, outstanding);
            // Also sent when nothing new was asked for: a redirected command or a late NOSCRIPT fallback waits in the buffer.
            flush();
            try {
                CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).get(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // a slow or failed answer: its caller hears of it; the next flush goes now
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outstanding.removeIf(CompletableFuture::isDone);
        }
    }

    /** Commands issued since the last flush, and when the first of them was (the flusher thread's own). */
    private int unflushed;
    private long firstUnflushedNanos;

    private void flush() {
        connection.flushCommands();
        if (unflushed > 0) {
            FLUSHES.incrementAndGet();
            COMMANDS.addAndGet(unflushed);
            unflushed = 0;
        }
    }

    private void issued(int commands) {
        if (commands == 0) {
            return;
        }
        long now = System.nanoTime();
        if (unflushed == 0) {
            firstUnflushedNanos = now;
        }
        unflushed += commands;
        if (unflushed >= MAX_UNFLUSHED || now - firstUnflushedNanos >= MAX_UNFLUSHED_NANOS) {
            flush();
        }
    }

    /** Issues every op into the connection's buffer (folds merged). */
    private void issue(List<Op> ops, List<CompletableFuture<?>> outstanding) {
        Map<Object, List<Folded<?>>> folds = null;
        for (Op op : ops) {
            if (op instanceof Folded<?> f) {
                if (folds == null) {
                    folds = new LinkedHashMap<>();
                }
                folds.computeIfAbsent(f.key, k -> new ArrayList<>()).add(f);
            } else {
                issued(op.issue(outstanding));
            }
        }
        if (folds != null) {
            for (List<Folded<?>> group : folds.values()) {
                for (int from = 0; from < group.size(); from += MAX_FOLD) {
                    issued(issueFold(group.subList(from, Math.min(group.size(), from + MAX_FOLD)), outstanding));
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int issueFold(List<Folded<?>> group, List<CompletableFuture<?>> outstanding) {
        List items = new ArrayList<>(group.size());
        for (Folded<?> f : group) {
            items.add(f.item);
        }
        CompletableFuture<List<Object>> all = new CompletableFuture<>();
        all.whenComplete((answers, e) -> {
            for (int i = 0; i < group.size(); i++) {
                if (e != null) {
                    group.get(i).out.completeExceptionally(e);
                } else if (answers == null || answers.size() != group.size()) {
                    group.get(i).out.completeExceptionally(new IllegalStateException("folded call answered "
                            + (answers == null ? "nothing" : answers.size() + " entries") + " for " + group.size() + " items"));
                } else {
                    group.get(i).out.complete(answers.get(i));
                }
            }
        });
        Call call;
        try {
            call = ((Fold) group.get(0).fold).call(items);
        } catch (RuntimeException e) {
            all.completeExceptionally(e);
            return 0;
        }
        return byScript(call, all).issue(outstanding);
    }

    @Override
    public void close() {
        Thread t;
        List<Op> left;
        lock.lock();
        try {
            closed = true;
            t = flusher;
            left = queue;
            queue = new ArrayList<>();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        StoreUnavailableException gone = new StoreUnavailableException("redis: the pipeline is closed", null);
        left.forEach(op -> op.fail(gone));
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
        }
    }

    private static Throwable mapped(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof RedisException r ? new StoreUnavailableException("redis: " + r.getMessage(), r) : cause;
    }

    private abstract static class Op {
        /** Issues the op's command (flushed by the caller); returns how many. */
        abstract int issue(List<CompletableFuture<?>> outstanding);

        abstract void fail(Throwable e);
    }

    /** A script call by SHA; NOSCRIPT (a restarted server, a node that has not seen it) sends it as EVAL in the next flush. */
    private <T> Command<T> byScript(Call call, CompletableFuture<T> out) {
        return new Command<>(a -> a.<T>evalsha(call.script().sha(), call.type(), call.keys(), call.args()), out,
                () -> new Command<>(a -> a.<T>eval(call.script().source(), call.type(), call.keys(), call.args()), out, null));
    }

    /** One command and where its answer goes. */
    private final class Command<T> extends Op {
        final Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command;
        final CompletableFuture<T> out;
        /** What to send instead when the answer is NOSCRIPT; null for a command that is no EVALSHA. */
        final Supplier<Command<T>> onNoScript;

        Command(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command, CompletableFuture<T> out,
                Supplier<Command<T>> onNoScript) {
            this.command = command;
            this.out = out;
            this.onNoScript = onNoScript;
        }

        @Override
        int issue(List<CompletableFuture<?>> outstanding) {
            CompletableFuture<T> sent;
            try {
                sent = command.apply(async).toCompletableFuture();
            } catch (RuntimeException e) {
                out.completeExceptionally(mapped(e));
                return 0;
            }
            outstanding.add(sent);
            sent.whenComplete((v, e) -> {
                if (e == null) {
                    out.complete(v);
                } else if (onNoScript != null && (e instanceof RedisNoScriptException || e.getCause() instanceof RedisNoScriptException)) {
                    enqueue(onNoScript.get());
                } else {
                    out.completeExceptionally(mapped(e));
                }
            });
            return 1;
        }

        @Override
        void fail(Throwable e) {
            out.completeExceptionally(e);
        }
    }

    private static final class Folded<I> extends Op {
        final Object key;
        final I item;
        final Fold<I> fold;
        final CompletableFuture<Object> out;

        Folded(Object key, I item, Fold<I> fold, CompletableFuture<Object> out) {
            this.key = key;
            this.item = item;
            this.fold = fold;
            this.out = out;
        }

        @Override
        int issue(List<CompletableFuture<?>> outstanding) {
            throw new IllegalStateException("folded ops are issued by their group");
        }

        @Override
        void fail(Throwable e) {
            out.completeExceptionally(e);
        }
    }
}
