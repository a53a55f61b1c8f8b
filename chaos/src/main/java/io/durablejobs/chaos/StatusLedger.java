package io.durablejobs.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every status write of every job as Redis executed it, across the lives of Redis. A <em>completion</em> is
 * the platform recording a job as {@code succeeded}: a write of {@code status=succeeded} to a record whose
 * status (in the same Redis data) was not already {@code succeeded}. The side effect (the webhook POST) is a
 * different thing, counted at the receiver; it may repeat, a completion must not.
 *
 * <p>A <em>data loss</em> is a life of Redis that starts without the previous one's data (no persistence).
 * Records are then gone; a job's next write starts from nothing, and a completion recorded in a later data
 * generation than an earlier completion of the same job is counted apart ({@link Trail#completionsAcrossDataLoss}).
 */
final class StatusLedger {
    private final Map<String, Trail> jobs = new ConcurrentHashMap<>();
    private volatile int generation;
    private volatile int life;

    /** One job's writes. Guarded by itself. */
    static final class Trail {
        String status;
        int statusGeneration;
        final List<Integer> completionGenerations = new ArrayList<>();
        int deadLetterings;
        int writes;

        synchronized String lastStatus() {
            return status;
        }

        synchronized int completions() {
            return completionGenerations.size();
        }

        /** Completions recorded twice or more within one data generation: the platform's promise broken. */
        synchronized int completionsBeyondOnePerGeneration() {
            return completionGenerations.size() - (int) completionGenerations.stream().distinct().count();
        }

        /** Completions repeated only because Redis lost its data in between (documented cost). */
        synchronized int completionsAcrossDataLoss() {
            return (int) completionGenerations.stream().distinct().count() - (completionGenerations.isEmpty() ? 0 : 1);
        }

        synchronized int deadLetterings() {
            return deadLetterings;
        }
    }

    synchronized void newLife(int life, boolean freshData) {
        this.life = life;
        if (freshData) {
            generation++;
        }
    }

    int generation() {
        return generation;
    }

    int life() {
        return life;
    }

    void statusWritten(String jobId, String status) {
        Trail t = jobs.computeIfAbsent(jobId, k -> new Trail());
        int g = generation;
        synchronized (t) {
            String before = t.statusGeneration == g ? t.status : null;
            if ("succeeded".equals(status) && !"succeeded".equals(before)) {
                t.completionGenerations.add(g);
            }
            if ("dead_lettered".equals(status) && !"dead_lettered".equals(before)) {
                t.deadLetterings++;
            }
            t.status = status;
            t.statusGeneration = g;
            t.writes++;
        }
    }

    void deleted(String jobId) {
        Trail t = jobs.get(jobId);
        if (t != null) {
            synchronized (t) {
                t.status = null;
            }
        }
    }

    Trail trail(String jobId) {
        return jobs.get(jobId);
    }

    Map<String, Trail> all() {
        return jobs;
    }
}
